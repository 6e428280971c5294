"""The schema-to-form builder on the keywords the task forms may use."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils import translation

from webapp.inbox.schema_form import TaskDataForm, path_parts, problems_from

SCHEMA = {
    "type": "object",
    "properties": {
        "days": {"title": "天数 Days", "type": "integer", "minimum": 1, "maximum": 30},
        "amount": {"title": "金额 Amount", "type": "number"},
        "on": {"title": "日期 Date", "type": "string", "format": "date"},
        "note": {"title": "说明 Note", "type": "string", "format": "textarea"},
        "short": {"title": "简述 Short", "type": "string", "maxLength": 20},
        "long": {"title": "详述 Long", "type": "string", "maxLength": 2000},
        "kind": {
            "title": "类别 Kind",
            "type": "string",
            "enum": ["a", "b", "c", "d", "e", "f"],
        },
        "ok": {"title": "结论 OK", "type": "boolean", "x-labels": {"true": "行"}},
    },
    "required": ["days"],
}


def _form(**data: str) -> TaskDataForm:
    query = QueryDict(mutable=True)
    query.update(data)
    return TaskDataForm(SCHEMA, query)


def test_each_keyword_gets_a_fitting_widget_and_required_is_only_shown() -> None:
    form = TaskDataForm(SCHEMA)
    widgets = {name: type(field.widget) for name, field in form.fields.items()}
    assert widgets == {
        "days": forms.NumberInput,
        "amount": forms.NumberInput,
        "on": forms.DateInput,
        "note": forms.Textarea,
        "short": forms.TextInput,
        "long": forms.Textarea,
        "kind": forms.Select,  # more than five choices
        "ok": forms.RadioSelect,
    }
    assert form.fields["on"].widget.input_type == "date"
    days = form.fields["days"]
    assert days.required is False  # the schema decides, with its own messages
    assert days.widget.attrs["aria-required"] == "true"
    with translation.override("en"):
        assert form["ok"].field.widget.choices == [("true", "行"), ("false", "No")]
    assert form.fields["short"].widget.attrs["maxlength"] == "20"
    assert [p.name for p in form.parts] == list(SCHEMA["properties"])


def test_input_turns_into_json_values_and_blanks_are_left_out() -> None:
    form = _form(
        days="3", amount="12.50", on="2026-06-19", note="  见附件 ", kind="", ok="false"
    )
    assert form.is_valid(), form.errors
    assert form.process_data() == {
        "days": 3,
        "amount": 12.5,
        "on": "2026-06-19",
        "note": "见附件",
        "ok": False,
    }
    whole = _form(amount="12")
    assert whole.is_valid()
    assert whole.process_data() == {"amount": 12}


def test_values_of_the_wrong_kind_are_refused_on_their_field() -> None:
    form = _form(days="31", amount="lots", on="19/06/2026")
    assert not form.is_valid()
    assert set(form.errors) == {"days", "amount", "on"}


@translation.override("en")
def test_validator_problems_land_on_the_field_or_the_whole_form() -> None:
    form = _form(days="3")
    assert form.is_valid()
    form.add_problems(
        {
            "days": "天数 Days — 不能大于30 must be at most 30",
            "note[2]": "不能为空 must not be blank",
            "form": "表单有误",
        }
    )
    assert form.errors["days"] == ["不能大于30 must be at most 30"]
    assert form.errors["note"] == ["Line 3: 不能为空 must not be blank"]
    assert form.non_field_errors() == ["表单有误"]


def test_problem_lines_and_paths_are_read_back() -> None:
    assert path_parts("measures_feedback[1].reason") == [
        "measures_feedback",
        1,
        "reason",
    ]
    assert problems_from(["a.b: x: y", "plain"]) == {"a.b": "x: y", "form": "plain"}
