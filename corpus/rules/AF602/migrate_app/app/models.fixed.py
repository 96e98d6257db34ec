from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from .database import Base


class Team(Base):
    __tablename__ = "teams"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False)
    members = relationship(
        "Member", back_populates="team", lazy="selectin"
    )  # AF602: read by the response model
    audit = relationship("AuditEntry", lazy="dynamic")  # AF602: dynamic cannot be async


class Member(Base):
    __tablename__ = "members"
    id = Column(Integer, primary_key=True)
    email = Column(String, nullable=False)
    team_id = Column(Integer, ForeignKey("teams.id"))
    team = relationship("Team", back_populates="members", lazy="joined")  # ok: eager already


class AuditEntry(Base):
    __tablename__ = "audit"
    id = Column(Integer, primary_key=True)
    team_id = Column(Integer, ForeignKey("teams.id"))
    unread_link = relationship("Team")  # ok: nothing reads it
