"""A team roster service on SQLModel (sync, to migrate): CRUD singletons, pytest fixtures."""
