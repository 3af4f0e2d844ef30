"""Personas: one user per role, plus outsiders (DESIGN.md §6).

`branch` is the Jeddah-like branch the `representative` works in; `other_rep` is a
representative of another branch, the outsider to every file in `branch`.
"""

import pytest

from accounts.models import Branch, Role
from tests_support.factories import BranchFactory, UserFactory, make_beneficiary


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def seeded(transactional_db):
    """Configuration rows for a transactional test, whose database starts empty."""
    from tests_support.seed import reseed

    reseed()


@pytest.fixture
def head_office(db):
    return Branch.objects.get(code="head-office")


@pytest.fixture
def branch(db):
    return BranchFactory(code="jeddah", name_ar="فرع جدة", name_en="Jeddah branch")


@pytest.fixture
def other_branch(db):
    return BranchFactory(code="dammam", name_ar="فرع الدمام", name_en="Dammam branch")


def _user(role, **kwargs):
    return UserFactory(username=kwargs.pop("username", role), role=role, **kwargs)


@pytest.fixture
def officer(db):
    return _user(Role.RELATIONS_OFFICER)


@pytest.fixture
def representative(branch):
    return _user(Role.BRANCH_REPRESENTATIVE, branch=branch)


@pytest.fixture
def other_rep(other_branch):
    return _user(Role.BRANCH_REPRESENTATIVE, branch=other_branch, username="other_rep")


@pytest.fixture
def researcher(db):
    return _user(Role.SOCIAL_RESEARCHER, gender="female")


@pytest.fixture
def committee(db):
    return _user(Role.COMMITTEE_MEMBER)


@pytest.fixture
def service_officer(db):
    return _user(Role.SERVICE_OFFICER)


@pytest.fixture
def quality(db):
    return _user(Role.QUALITY_OFFICER)


@pytest.fixture
def manager(db):
    return _user(Role.MANAGER)


@pytest.fixture
def volunteer(db):
    return _user(Role.VOLUNTEER)


@pytest.fixture
def admin_user(db):
    return _user(Role.ADMIN, is_staff=True, is_superuser=True, username="sysadmin")


@pytest.fixture
def no_role(db):
    return _user("", username="norole")


@pytest.fixture
def beneficiary(representative):
    """A file in `branch`, registered by its representative."""
    return make_beneficiary(representative)
