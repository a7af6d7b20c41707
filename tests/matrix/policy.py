"""Matrix entries: policy calculator and parameters."""

from . import ADMIN, Route, everyone, only

ROUTES = {
    "policy.calculator_page": Route("GET", "/policy/calculator", everyone()),
    "policy.parameters": Route("GET", "/policy/parameters", only(ADMIN)),
}
