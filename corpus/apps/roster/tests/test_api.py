def test_first_player_is_listed(client):
    names = [p["name"] for p in client.get("/players/").json()]
    assert "Ada" in names


def test_duplicate_email_is_refused(client):
    r = client.post("/players/", json={"name": "Ada Again", "email": "ADA@example.com"})
    assert r.status_code == 400


def test_update_lowercases_the_email(client):
    created = client.post("/players/", json={"name": "Grace", "email": "grace@example.com"}).json()
    r = client.patch(f"/players/{created['id']}", json={"email": "Grace.Hopper@Example.com"})
    assert r.status_code == 200
    assert r.json()["email"] == "grace.hopper@example.com"


def test_missing_player(client):
    assert client.get("/players/9999").status_code == 404


def test_session_sees_what_the_api_wrote(session, client):
    client.post("/players/", json={"name": "Linus", "email": "linus@example.com"})
    found = crud_lookup(session, "linus@example.com")
    assert found is not None and found.name == "Linus"


def crud_lookup(session, email):
    from roster import crud

    return crud.player.get_by_email(session, email)
