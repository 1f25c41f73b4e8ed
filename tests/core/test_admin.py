from django.urls import reverse


def test_worker_sees_only_own_center_in_the_admin_changelist(world, client):
    client.force_login(world.user("worker"))
    page = client.get(reverse("admin:core_center_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.center_a.name in text
    assert world.center_b.name not in text


def test_worker_cannot_open_another_centers_row_by_its_id(world, client):
    client.force_login(world.user("worker"))
    response = client.get(reverse("admin:core_center_change", args=[world.center_b.pk]))
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert str(world.center_b.pk) not in response.get("Location", "") or "login" in response["Location"]


def test_worker_cannot_see_people_or_roles_in_the_admin(world, client):
    client.force_login(world.user("worker"))
    assert client.get(reverse("admin:core_user_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:core_user_changelist") not in index


def test_district_admin_manages_people(world, client):
    client.force_login(world.user("district"))
    page = client.get(reverse("admin:core_user_changelist"))
    assert page.status_code == 200
    assert "worker-user" in page.content.decode()


def test_residents_are_kept_out_of_the_admin(world, client):
    client.force_login(world.user("resident"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
