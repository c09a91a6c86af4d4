"""Custom actions of the assistant (rasa-sdk). The directory is reached only through
``directory_client`` over HTTP; nothing here imports the ``directory`` package.

Map:
    settings          the action server's settings, read once from the environment
    directory_client  async HTTP client of the directory API (timeouts, retries on reads)
    needs             intents -> category codes, related needs
    languages         language policy: client metadata, explicit switch, detection
    presentation      pure functions: the service_list payload and its text summary
    context           ActionUpdateContext: fills language, need and city after each message
    services          ActionFindServices, ActionMoreServices
    followups         ActionAnswerFollowup: hours, documents, cost, languages, directions
    safety            ActionEmergency, ActionHandoff, ActionChangeLanguage
"""
