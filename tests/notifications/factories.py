"""factory_boy factories for people who receive notifications."""

from __future__ import annotations

from django.contrib.auth.models import User
from factory.declarations import LazyAttribute, Sequence, SubFactory
from factory.django import DjangoModelFactory

from notifications.models import ChannelPreference, Language, UserContact


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User

    username = Sequence(lambda n: f"recipient-{n}")
    email = LazyAttribute(lambda u: f"{u.username}@example.cn")
    first_name = "小明"


class UserContactFactory(DjangoModelFactory[UserContact]):
    class Meta:
        model = UserContact

    user = SubFactory(UserFactory)
    phone = Sequence(lambda n: f"1380013{n:04d}")
    language = Language.ZH_HANS


class ChannelPreferenceFactory(DjangoModelFactory[ChannelPreference]):
    class Meta:
        model = ChannelPreference

    user = SubFactory(UserFactory)
    kind_pattern = ChannelPreference.ALL
