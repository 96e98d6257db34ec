def test_health(client):
    assert client.get("/health").json() == {"ok": True}


def test_users(client):
    r = client.post("/users", json={"email": "ada@example.com", "name": "Ada"})
    assert r.status_code == 201, r.text
    ada = r.json()
    assert ada["name"] == "Ada"
    assert client.post("/users", json={"email": "ada@example.com", "name": "Again"}).status_code == 409
    r = client.post("/users", json={"email": "bob@example.com", "name": "Bob"})
    assert r.status_code == 201
    names = [u["name"] for u in client.get("/users").json()]
    assert names[:2] == ["Ada", "Bob"]
    assert client.get("/users?skip=1&limit=1").json()[0]["name"] == "Bob"
    assert client.get("/users/999").status_code == 404


def test_posts_and_comments(client):
    ada = client.post("/users", json={"email": "ada2@example.com", "name": "Ada Two"}).json()
    r = client.post(f"/users/{ada['id']}/posts", json={"title": "Hello", "body": "World"})
    assert r.status_code == 201, r.text
    post = r.json()
    assert post["published"] is True
    assert post["author"]["name"] == "Ada Two"
    assert post["comments"] == []

    draft = client.post(f"/users/{ada['id']}/drafts", json={"title": "Draft"}).json()
    assert draft["published"] is False

    titles = [p["title"] for p in client.get("/posts").json()]
    assert "Hello" in titles and "Draft" not in titles
    assert "Draft" in [p["title"] for p in client.get("/posts?all=true").json()]

    r = client.post(f"/posts/{post['id']}/comments", params={"text": "Nice!"})
    assert r.status_code == 201, r.text
    full = client.get(f"/posts/{post['id']}").json()
    assert [c["text"] for c in full["comments"]] == ["Nice!"]
    assert client.get("/posts/12345").status_code == 404

    user = client.get(f"/users/{ada['id']}").json()
    assert sorted(p["title"] for p in user["posts"]) == ["Draft", "Hello"]


def test_stats_and_purge(client):
    stats = client.get("/stats").json()
    assert stats["users"] >= 1 and stats["posts"] >= stats["published"]
    before = stats["posts"] - stats["published"]
    r = client.delete("/drafts")
    assert r.json() == {"deleted": before}
    after = client.get("/stats").json()
    assert after["posts"] == after["published"]
