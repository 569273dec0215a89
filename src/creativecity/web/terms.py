"""Words that reach the pages as data (statuses, roles, fields), marked for the message catalog.

Templates translate them with ``_(value)``; listing them here lets ``pybabel extract`` find them, so the
Vietnamese catalog covers them and a test can check that none is missing.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the conventional name of gettext_noop
    """Mark ``message`` for extraction without translating it here."""
    return message


TERMS: tuple[str, ...] = (
    # roles
    N_("viewer"),
    N_("editor"),
    N_("admin"),
    # target statuses (creativecity.monitoring.progress.STATUSES)
    N_("achieved"),
    N_("on track"),
    N_("at risk"),
    N_("off track"),
    N_("missed"),
    N_("no recent data"),
    N_("no data"),
    # certainties of an observation (creativecity.monitoring.model.CERTAINTIES) and of the registry
    N_("reported"),
    N_("estimate"),
    N_("approximate"),
    N_("lower bound"),
    N_("undated"),
    N_("verified"),
    N_("uncertain"),
    # audit actions
    N_("create"),
    N_("update"),
    N_("delete"),
    N_("import"),
    N_("approve"),
    # creative fields
    N_("Crafts and Folk Art"),
    N_("Design"),
    N_("Film"),
    N_("Gastronomy"),
    N_("Literature"),
    N_("Media Arts"),
    N_("Music"),
    N_("Architecture"),
)

SECTION_TITLES: dict[str, str] = {
    "executive_summary": N_("Executive summary"),
    "general_information": N_("General information"),
    "contribution_global": N_("Contribution to the network's global management"),
    "local_initiatives": N_("Main local initiatives"),
    "intercity_initiatives": N_("Main inter-city initiatives"),
    "action_plan": N_("Action plan for the next four years"),
    # application dossier (creativecity.monitoring.application.APPLICATION_SECTIONS); the wording of
    # the headings follows the reports area's catalog (app.* and sub.* messages)
    "general_description": N_("General description of the city"),
    "assets": N_("The city's assets in the creative field"),
    "contribution": N_("Contribution to the network's objectives"),
    "initiatives_local": N_("Main initiatives: local level"),
    "initiatives_intercity": N_("Main initiatives: inter-city cooperation"),
    "management_budget": N_("Management structure and budget"),
    "communication_plan": N_("Communication plan"),
}
"""Headings of the narrative sections (creativecity.monitoring.application.KNOWN_SECTIONS)."""

SECTION_GROUPS: dict[str, str] = {
    "monitoring": N_("Membership monitoring report"),
    "application": N_("Application dossier"),
}
"""Headings of the two documents whose sections the texts page groups."""

CONTACT_ROLE_TITLES: dict[str, str] = {
    "mayor": N_("Mayor"),
    "representative": N_("Mayor's representative"),
    "main": N_("Main contact"),
    "alternate": N_("Alternative contact"),
}
"""Contact roles of the application form (creativecity.monitoring.application.CONTACT_ROLES)."""

ATTACHMENT_TITLES: dict[str, str] = {
    "documents_list": N_("List of documents"),
    "mayor_letter": N_("Letter of the mayor"),
    "national_commission": N_("Endorsement of the National Commission for UNESCO"),
    "support_letters": N_("Letters of support (2)"),
    "photos": N_("Photos (3 JPEG files, 3 MB at most each)"),
    "photo_rights": N_("Photo rights form"),
}
"""Attachments of the application form (creativecity.monitoring.application.ATTACHMENT_KINDS)."""

N_("provided")
N_("missing")

#: The network summary's notes (creativecity.network.summary.NOTE_TEMPLATES), for the catalog.
NETWORK_NOTES: tuple[str, ...] = (
    N_("The network was founded in {founded} (Edinburgh, Literature); it had no members in {as_of}."),
    N_("No designation round after {latest} is known: figures are as of {latest}."),
    N_("No designation round in {as_of}: figures are as of the {year} round."),
    N_(
        "The {year} round is incomplete in this registry: {known_new} of UNESCO's {new_cities} new "
        "cities are listed, so it counts {cities} cities where UNESCO announced {total} (official "
        "figure, not counted here). Import a newer list to complete it."
    ),
    N_("The registry counts {cities} cities where UNESCO announced {total}."),
    N_(
        "The registry counts {countries} distinct countries (ISO3 codes) where UNESCO said {official} "
        "for {year}: sources disagree, and UNESCO counts Member States."
    ),
    N_("UNESCO published no total for {year}; nothing to check the count against."),
    N_(
        "Since 2021 the registry's country count runs ahead of UNESCO's ({n21} vs {official} in "
        "2021): UNESCO counts Member States."
    ),
    N_("{n} designations have an uncertain year or field."),
    N_(
        "Founded in {founded} (Edinburgh, Literature); 2014 was the first round under the revised "
        "procedure, not the founding year."
    ),
)

#: UNESCO regions (creativecity.network.registry.REGIONS).
REGION_NAMES: tuple[str, ...] = (
    N_("Africa"),
    N_("Arab States"),
    N_("Asia and the Pacific"),
    N_("Europe and North America"),
    N_("Latin America and the Caribbean"),
)
