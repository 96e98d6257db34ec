from typing import List

from pydantic import BaseModel


class MemberOut(BaseModel):
    id: int
    email: str


class TeamOut(BaseModel):
    id: int
    name: str
    members: List[MemberOut]
