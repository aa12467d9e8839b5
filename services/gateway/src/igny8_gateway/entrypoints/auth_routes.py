"""``/api/v1/auth/``: register, login, refresh, logout, me."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.requests import Request

from igny8_gateway.entrypoints.bodies import Body, Email, Name, Password, PersonName, Token
from igny8_gateway.entrypoints.deps import CurrentIdentity, SecurityDep, Uow
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.views import ProfileView, TokenPair, profile_view, token_pair
from igny8_gateway.service_layer import auth
from igny8_runtime.responses import Ok, ok

router = api_router("/api/v1/auth", "auth")
routers = (router,)


class RegisterBody(Body):
    email: Email
    password: Password
    account_name: Name
    first_name: PersonName = ""
    last_name: PersonName = ""


class LoginBody(Body):
    email: Email
    password: Password


class RefreshBody(Body):
    refresh: Token


@router.post("/register/", status_code=201, response_model=Ok[TokenPair],
             summary="Create an account and its owner")
async def register(body: RegisterBody, uow: Uow, security: SecurityDep) -> JSONResponse:
    signed_in = await auth.register(
        uow, security, email=body.email, password=body.password,
        account_name=body.account_name, first_name=body.first_name, last_name=body.last_name,
    )
    return ok(token_pair(signed_in), "Account created.", status_code=201)


@router.post("/login/", response_model=Ok[TokenPair], summary="Sign in with email and password")
async def login(body: LoginBody, request: Request, uow: Uow, security: SecurityDep) -> JSONResponse:
    client_ip = request.client.host if request.client else "unknown"
    signed_in = await auth.login(uow, security, email=body.email, password=body.password,
                                 client_ip=client_ip)
    return ok(token_pair(signed_in), "Signed in.")


@router.post("/refresh/", response_model=Ok[TokenPair],
             summary="Exchange a refresh token for a new token pair")
async def refresh_tokens(body: RefreshBody, uow: Uow, security: SecurityDep) -> JSONResponse:
    signed_in = await auth.refresh(uow, security, body.refresh)
    return ok(token_pair(signed_in), "Tokens refreshed.")


@router.post("/logout/", response_model=Ok[None],
             summary="Revoke the refresh token and every token of its sign-in")
async def logout(body: RefreshBody, uow: Uow, security: SecurityDep) -> JSONResponse:
    await auth.logout(uow, security, body.refresh)
    return ok(None, "Signed out.")


@router.get("/me/", response_model=Ok[ProfileView], summary="The signed-in user and their account")
async def get_me(identity: CurrentIdentity) -> JSONResponse:
    return ok(profile_view(*identity))
