"""What any route may depend on: the settings of the app that serves it."""

from typing import Annotated

from fastapi import Depends, Request

from .settings import Settings


# `async def`, as every dependency that does not block: FastAPI runs a plain `def` one in AnyIO's
# shared thread pool, a hop per request and a thread that other work may be holding.
async def app_settings(request: Request) -> Settings:
    """The settings `create_app` was given, which tests set apart from the environment's."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]
