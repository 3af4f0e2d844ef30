import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_menu_offers_the_reports_to_managers_and_quality(client, manager, quality, officer):
    dashboard, compliance = reverse("reports:dashboard"), reverse("reports:compliance")
    for user in (manager, quality):
        client.force_login(user)
        html = client.get(reverse("core:home")).content.decode()
        assert f'href="{dashboard}"' in html and f'href="{compliance}"' in html
    client.force_login(officer)
    html = client.get(reverse("core:home")).content.decode()
    assert f'href="{dashboard}"' not in html and f'href="{compliance}"' not in html
