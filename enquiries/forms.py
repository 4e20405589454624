"""The enquiry form: what a visitor tells the author, plus the hidden fields spam checks read."""

import time

from django import forms

from .models import BudgetRange, Enquiry, Need
from .sources import clean_source
from .spam import sign_started_at

__all__ = ["EnquiryForm", "sign_started_at"]

MESSAGE_MAX_LENGTH = 5000


def fresh_started_at():
    return sign_started_at(time.time())


class EnquiryForm(forms.ModelForm):
    need = forms.ModelChoiceField(
        label="What do you need?",
        queryset=Need.objects.active(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose what you need help with.",
            "invalid_choice": "That option is no longer offered; choose another.",
        },
    )
    budget = forms.ModelChoiceField(
        label="Rough budget",
        queryset=BudgetRange.objects.active(),
        widget=forms.RadioSelect,
        required=False,
        blank=True,  # offers "Not sure yet", so a chosen budget can be taken back
        empty_label="Not sure yet",
        error_messages={"invalid_choice": "That option is no longer offered; choose another."},
    )
    message = forms.CharField(
        label="Message",
        max_length=MESSAGE_MAX_LENGTH,
        help_text="Where things stand, what you have tried, and any dates I should know.",
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={
            "required": "Tell me a little about what you need.",
            "max_length": "Keep it under %(limit_value)d characters; we can go into detail later.",
        },
    )
    # Carried from the GET (?from= or the Referer) through the POST.
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    # Field names match spam.TIMESTAMP_FIELD and spam.HONEYPOT_FIELD.
    started_at = forms.CharField(required=False, initial=fresh_started_at, widget=forms.HiddenInput)
    # The honeypot: hidden from sight and from the tab order; people leave it empty.
    website = forms.CharField(
        label="Leave this field empty; it is here to catch spam",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Enquiry
        fields = ["name", "email", "company", "need", "budget", "message", "source"]
        labels = {"name": "Your name", "email": "Email", "company": "Company"}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "company": forms.TextInput(attrs={"autocomplete": "organization"}),
        }
        error_messages = {
            "name": {"required": "Tell me your name."},
            "email": {
                "required": "Enter an email address I can reply to.",
                "invalid": "Enter an email address like name@example.com.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["need", "budget"]:
            self.offer_choices(name)

    def offer_choices(self, name):
        """Read the author's options once, and leave the question out while there are none.

        A ModelChoiceField queries again every time it renders; fixed choices do not. With
        no options a required question could never be answered and nobody could get in touch.
        """
        field = self.fields[name]
        options = [(option.pk, option.label) for option in field.queryset]
        if not options:
            del self.fields[name]
            return
        if field.empty_label is not None:
            options.insert(0, ("", field.empty_label))
        field.choices = options

    def clean_name(self):
        # One line: the name goes into the notification's subject.
        return " ".join(self.cleaned_data["name"].split())

    def clean_company(self):
        return " ".join(self.cleaned_data["company"].split())

    def clean_source(self):
        return clean_source(self.cleaned_data["source"])
