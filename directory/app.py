"""The directory service: ``create_app()`` builds the FastAPI application.

Nothing happens at import time; the engine is made when the app starts (or passed in).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import html
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine, exists, select
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from swagger_ui_bundle import swagger_ui_path

from directory import __doc__ as package_doc
from directory.db import make_engine, make_session_factory
from directory.models import Service
from directory.routers import nlg, reference, services
from directory.schemas.common import SAMPLE_NOTICE
from directory.settings import Settings, get_settings

API_PREFIX = "/api/v1"
WEB = Path(__file__).resolve().parent / "web"
SAMPLE_HEADER = "X-Directory-Sample-Data"
_SAMPLE_TTL = 30.0


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_engine = engine is None
        app.state.engine = engine or make_engine(settings.database_url, echo=settings.echo_sql)
        app.state.session_factory = make_session_factory(app.state.engine)
        app.state.sample_flag = (0.0, False)
        yield
        if own_engine:
            app.state.engine.dispose()

    app = FastAPI(
        title="ADMin4ALL service directory",
        version="0.1.0",
        summary="Municipal services for migrants and refugees, HSDS-aligned, in 12 languages",
        description=(package_doc or "").split("\n\n")[0],
        lifespan=lifespan,
        docs_url=None,  # served below from local assets: FastAPI's default loads them from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.include_router(services.router, prefix=API_PREFIX)
    app.include_router(reference.router, prefix=API_PREFIX)
    app.include_router(nlg.router)
    app.mount("/static/swagger-ui", StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=WEB), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} - API",
            oauth2_redirect_url="/docs/oauth2-redirect",
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},  # no badge from the online validator
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def docs_oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/chat", include_in_schema=False)
    def chat() -> HTMLResponse:
        page = (WEB / "chat.html").read_text(encoding="utf-8")
        rasa = html.escape(settings.rasa_public_url, quote=True)
        return HTMLResponse(page.replace('<meta name="rasa-url" content="">', f'<meta name="rasa-url" content="{rasa}">'))

    app.add_middleware(SampleHeaderMiddleware)

    @app.get("/health", tags=["health"], summary="Liveness and database check")
    def health() -> JSONResponse:
        with app.state.session_factory() as session:
            session.execute(select(1))
        return JSONResponse({"status": "ok"})

    @app.get("/", include_in_schema=False)
    def home() -> HTMLResponse:
        sample = _has_sample(app)
        banner = f'<p role="alert" style="background:#fff3cd;padding:.75em">{SAMPLE_NOTICE}</p>' if sample else ""
        return HTMLResponse(
            "<!doctype html><html lang=en><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>Service directory</title><h1>ADMin4ALL service directory</h1>{banner}"
            "<p><a href=/chat>Chat</a> · <a href=/docs>API documentation</a> · <a href=/api/v1/services>services</a> · "
            "<a href=/api/v1/municipalities>municipalities</a> · <a href=/api/v1/taxonomy>taxonomy</a></p>"
        )

    return app


class SampleHeaderMiddleware:
    """Adds ``X-Directory-Sample-Data: true|false`` to every HTTP response.

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` (``@app.middleware``) costs a
    task and a stream per request, and every chat turn makes several requests here."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                flag = "true" if _has_sample(scope["app"]) else "false"
                MutableHeaders(scope=message)[SAMPLE_HEADER] = flag
            await send(message)

        await self.app(scope, receive, send_with_header)


def _has_sample(app: FastAPI) -> bool:
    checked_at, flag = getattr(app.state, "sample_flag", (0.0, False))
    if time.monotonic() - checked_at > _SAMPLE_TTL:
        with app.state.session_factory() as session:
            flag = bool(session.scalar(select(exists().where(Service.is_sample))))
        app.state.sample_flag = (time.monotonic(), flag)
    return flag
