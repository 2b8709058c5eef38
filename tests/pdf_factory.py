"""Build real PDF files for tests.

Every helper here writes an actual PDF (or a deliberately broken file) to disk
with fpdf2, pypdf and Pillow. Nothing is mocked: the loaders under test read
these files exactly as they would read a downloaded standard.

All document text is an invented "Responsible Widget Sourcing Standard"
published by a fictional "Widget Stewardship Council". Each clause carries
its own distinct facts (durations, thresholds, named roles) so a test can ask
a question whose answer lives in exactly one clause.

Public API
----------
- :class:`Clause`, :class:`BuiltPdf`
- :func:`sample_clauses`
- :func:`make_standard_pdf`
- :func:`make_encrypted_pdf`
- :func:`make_image_only_pdf`
- :func:`make_truncated_pdf`
- :func:`make_html_named_pdf`
- :func:`make_run_together_pdf`
- constants :data:`TABLE_SECTION`, :data:`TABLE_ROWS`, :data:`GLOSSARY`,
  :data:`GLOSSARY_HEADING`, :data:`RUN_TOGETHER_CLAUSES` and helper
  :func:`glossary_section_id`
"""

from __future__ import annotations

import io
import os
import random
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence, Union

from fpdf import FPDF
from fpdf.enums import XPos, YPos

PathLike = Union[str, os.PathLike]

DEFAULT_TITLE = "Responsible Widget Sourcing Standard"
DEFAULT_VERSION = "2.1"
PUBLISHER = "Widget Stewardship Council"

#: Section id of the clause that receives the review-frequency table.
TABLE_SECTION = "4.3"

#: Rows of the table printed inside clause ``TABLE_SECTION`` (first row is the header).
TABLE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("Risk level", "Review frequency", "Approver"),
    ("Low", "Every 36 months", "Sourcing Compliance Officer"),
    ("Medium", "Every 24 months", "Sourcing Compliance Officer"),
    ("High", "Every 6 months", "Site Manager"),
    ("Critical", "Every 3 months", "Board Risk Committee"),
)

#: Heading text of the final glossary section (its number is computed, see glossary_section_id).
GLOSSARY_HEADING = "Glossary"

#: Glossary entries as (term, definition); printed as "Term: definition".
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("Widget", "A manufactured component made wholly or partly from mined metal, "
               "including semi-finished widget blanks sold between producers."),
    ("Smelter", "A facility that converts ore or concentrate into refined metal "
                "that is later used to make widgets."),
    ("Red flag", "A fact or circumstance that points to a reasonable risk of "
                 "contributing to serious harm and that triggers an on-the-ground assessment."),
    ("Flagged lot", "A lot of widget material that originates in, transits through "
                    "or is traded from a location listed in Annex II."),
    ("Independent Assessor", "A person or firm accredited by the Widget Stewardship "
                             "Council to verify conformance with this Standard."),
    ("Mitigation plan", "A written plan that names the measures, owners and deadlines "
                        "for reducing an identified supply chain risk."),
)

_FIXED_DATE = datetime(2025, 3, 1, 9, 0, 0, tzinfo=timezone.utc)

# Layout constants (millimetres / points).
_MARGIN = 20.0
_BODY_FONT_SIZE = 11
_BODY_LINE_H = 6.0
_HEADING_FONT_SIZE = 12
_HEADING_H = 7.0
_PARA_GAP = 3.0


@dataclass(frozen=True)
class Clause:
    """One clause of a standard.

    Attributes:
        section: Section identifier as printed, e.g. ``"5.2.3"``, ``"Step 2"``,
            ``"Annex II"``, ``"Appendix C"`` or ``"V6.2.1"``.
        heading: Heading text printed after the section id.
        body: Paragraphs; each paragraph is several complete sentences.
    """

    section: str
    heading: str
    body: list[str]

    @property
    def heading_line(self) -> str:
        """The heading exactly as printed: ``"<section> <heading>"``."""
        return f"{self.section} {self.heading}"

    @property
    def body_text(self) -> str:
        """All body paragraphs joined by blank lines."""
        return "\n\n".join(self.body)


@dataclass(frozen=True)
class BuiltPdf:
    """Result of building a PDF.

    Attributes:
        path: Where the file was written.
        pages: Number of pages.
        clause_pages: Section id -> 1-based page number on which its heading is printed.
        title: Document title (also the running header and metadata title).
        version: Document version string, e.g. ``"2.1"``.
    """

    path: Path
    pages: int
    clause_pages: dict[str, int]
    title: str
    version: str


# --------------------------------------------------------------------------
# Sample content
# --------------------------------------------------------------------------

def sample_clauses() -> list[Clause]:
    """Return the clauses of the fictional Responsible Widget Sourcing Standard.

    Around two dozen clauses with distinct, specific facts. ``"Step 2"``,
    ``"5.2.3"`` and ``"Appendix C"`` each have more than 1,500 characters of
    body text. Clause ``"4.3"`` receives the review-frequency table when
    :func:`make_standard_pdf` is called with ``table=True``.
    """
    return [
        Clause("1", "Purpose", [
            "This Responsible Widget Sourcing Standard sets out the requirements that a "
            "Widget Producer must meet to show that the widgets it buys, processes and "
            "sells do not contribute to serious harm in the supply chain. The Standard is "
            "published by the Widget Stewardship Council, a fictional multi-stakeholder "
            "body. It applies a five-step due diligence approach that is described in the "
            "clauses that follow.",
            "Conformance with this Standard is assessed against the requirements written "
            "with the word shall. Statements that use the word should are recommendations, "
            "and statements that use the word may describe permitted options. Notes and "
            "examples are informative only and do not create obligations.",
        ]),
        Clause("1.1", "Objectives", [
            "The Standard has three objectives. The first is to identify and reduce the "
            "risk that widget supply chains finance armed groups or depend on forced "
            "labour. The second is to give buyers consistent and comparable evidence of "
            "responsible practice. The third is to raise the share of assessed supply to at "
            "least 80 percent of purchased widget volume by the end of the third reporting "
            "year.",
            "The Council reviews the objectives themselves every five years. The next "
            "scheduled review of the objectives is due in 2029, and stakeholders may send "
            "comments to the Council secretariat at any time before that date.",
        ]),
        Clause("2", "Scope", [
            "This Standard applies to every site that produces, refines or trades more "
            "than 500 tonnes of widgets in a calendar year. Sites below that threshold may "
            "apply the Standard voluntarily but cannot claim conformance until a full "
            "assessment has been completed. Widgets made entirely from recycled "
            "post-consumer material are outside the scope of the risk assessment and "
            "supplier management clauses.",
            "The scope covers the site itself, its direct suppliers and any intermediaries "
            "that take legal ownership of widget material before it reaches the site. "
            "Transport contractors that never take ownership are excluded. Where a company "
            "operates several sites, each site shall be assessed separately and may not "
            "rely on the conformance of a sister site.",
        ]),
        Clause("3", "Management system", [
            "Each site shall operate a documented management system that puts the "
            "requirements of this Standard into everyday practice. The management system "
            "shall cover policy, responsibilities, internal controls, training and "
            "communication with suppliers. It shall be proportionate to the size of the "
            "site and to the risks identified in its supply chain.",
            "Top management shall review the performance of the management system at least "
            "once every 12 months. The management review shall consider audit findings, "
            "open grievances, changes in the supply chain and the status of every "
            "mitigation plan. Its conclusions shall be recorded in writing and signed by "
            "the Site Manager.",
        ]),
        Clause("3.1", "Policy", [
            "The site shall adopt a written supply chain policy that commits it to the "
            "requirements of this Standard. The policy shall be approved by the board of "
            "directors or an equivalent governing body and shall be signed by the chief "
            "executive. It shall be published on the public website of the site within 30 "
            "days of approval and shared with every direct supplier as part of the supply "
            "contract.",
            "The policy shall be reviewed every 24 months, or sooner if the site starts "
            "buying from a new sourcing country. A policy that has not been reviewed within "
            "26 months shall be treated as a major nonconformity during assessment.",
        ]),
        Clause("3.2", "Responsible person", [
            "The site shall appoint a Sourcing Compliance Officer who reports directly to "
            "top management and who has the authority to suspend purchases from any "
            "supplier. The person appointed shall have at least five years of experience in "
            "procurement, compliance or audit work. The name and contact details of the "
            "Sourcing Compliance Officer shall be sent to the Widget Stewardship Council "
            "within 14 days of any change.",
            "The Sourcing Compliance Officer shall complete at least 16 hours of due "
            "diligence training every year. A deputy shall be named to cover absences "
            "longer than 10 working days, and the deputy shall have completed the same "
            "training.",
        ]),
        Clause("3.3", "Record keeping", [
            "All records created under this Standard shall be retained for a minimum of "
            "seven years from the date they are created, unless a shorter period is set by "
            "a specific requirement. Records include supplier questionnaires, risk reports, "
            "mitigation plans, training logs, audit reports and management review minutes. "
            "Records may be kept on paper or in electronic form, provided that electronic "
            "records are backed up at least once per week to a location separate from the "
            "main server.",
            "Records shall be legible, dated and traceable to the person who created them. "
            "Access to commercially sensitive records may be restricted, but the "
            "Independent Assessor shall be given read access to any record within five "
            "working days of a request.",
        ]),
        Clause("4", "Risk assessment", [
            "Risk assessment is the core of the due diligence process. The site shall use "
            "the information gathered through supply chain mapping to decide, for each "
            "source of material, whether there is a reasonable risk of contributing to the "
            "harms that led to the listing of the locations in Annex II. The assessment "
            "shall follow the sequence set out in Step 2 and in clauses 4.1 to 4.3.",
        ]),
        Clause("Step 2", "Identify and assess risks", [
            "Step 2 requires the site to identify the risks present in its supply chain and "
            "to assess them against the supply chain policy adopted by the board. The site "
            "shall begin by comparing the origin of each material lot with the list of red "
            "flag locations. A lot is flagged when it originates in, transits through or is "
            "traded from a listed location, or when the documentation does not allow its "
            "origin to be confirmed with reasonable confidence.",
            "For every flagged lot, the site shall carry out an on-the-ground assessment "
            "within 120 days. The assessment team shall include at least one person who is "
            "independent of the purchasing department and shall visit the mine, collection "
            "point or trading house that supplied the material. Where a visit is unsafe, "
            "the team may rely on a documented remote review, but it shall record the "
            "reasons for not travelling and shall repeat the attempt within the following "
            "six months.",
            "The findings of the assessment shall be reported in a written risk report. "
            "The report shall state the risks identified, the evidence relied on, the "
            "people interviewed and the gaps that remain. Each risk shall be rated as low, "
            "medium, high or critical using the criteria published by the Council. A risk "
            "report that is more than 12 months old shall not be used to justify continued "
            "sourcing from a flagged location.",
            "Step 2 is complete only when every flagged lot has a current risk rating and "
            "every high or critical risk has been escalated to top management. The site "
            "shall keep a register of flagged lots that lists each lot, the date of the "
            "assessment and the rating given. The register shall be updated within 10 "
            "working days of any new finding.",
        ]),
        Clause("4.1", "Supply chain mapping", [
            "The site shall map its supply chain from its own gate back to the smelter "
            "level for every widget material it purchases. A new supplier shall be mapped "
            "within 90 days of onboarding, and the map shall be refreshed whenever a "
            "supplier changes its own sources. The map shall identify the country of "
            "origin, the transport route and every company that takes ownership of the "
            "material along the way.",
            "Where a supplier refuses to disclose its sources, the site shall record the "
            "refusal, treat the supplier as high risk and inform the Sourcing Compliance "
            "Officer within five working days.",
        ]),
        Clause("4.2", "Chain of custody documents", [
            "Every shipment of widget material shall be accompanied by chain of custody "
            "documents that show the origin, weight and grade of the material and the "
            "identity of each previous owner. The site shall check the documents before the "
            "material is accepted at the gate.",
            "Shipments that arrive without complete documents shall be held in a segregated "
            "quarantine area for no more than 21 days while the missing information is "
            "obtained. If the documents are still incomplete after 21 days, the shipment "
            "shall be rejected and returned to the supplier at the supplier's cost.",
        ]),
        Clause(TABLE_SECTION, "Review frequency", [
            "Each supply chain risk rated under Step 2 shall be re-examined at a frequency "
            "that depends on its rating. The review confirms whether the rating is still "
            "correct and whether the mitigation plan is working. The table below sets the "
            "minimum review frequency and the person who must approve the outcome of each "
            "review.",
            "A review may be brought forward at any time. It shall be brought forward when "
            "a grievance is received that concerns the supplier involved.",
        ]),
        Clause("5", "Supplier management", [
            "The site shall manage its suppliers in a way that supports the goals of this "
            "Standard. Supplier management includes onboarding, contractual commitments, "
            "ongoing assessment and, where necessary, suspension or disengagement. Clauses "
            "5.1 to 5.2.3 describe the minimum requirements.",
        ]),
        Clause("5.1", "Supplier onboarding", [
            "Before the first purchase from a new supplier, the site shall collect the "
            "supplier's legal name, registered address, ownership structure and a signed "
            "acceptance of the supply chain policy. The site shall verify the identity of "
            "the ultimate beneficial owners of any supplier that provides more than 5 "
            "percent of its annual widget volume. No purchase order may be issued until the "
            "onboarding file has been approved by the Sourcing Compliance Officer.",
        ]),
        Clause("5.2", "Supplier contracts", [
            "Every supply contract signed or renewed after the effective date of this "
            "Standard shall include terms that require the supplier to follow the supply "
            "chain policy, to allow audits of its premises with 15 days of notice and to "
            "disclose the origin of all material supplied. Contracts shall give the site "
            "the right to suspend purchases immediately if the supplier is found to be "
            "sourcing from a location where a critical risk has been confirmed.",
        ]),
        Clause("5.2.3", "Supplier risk assessment", [
            "The site shall carry out a documented risk assessment for every active "
            "supplier. The supplier risk assessment considers the supplier as a business "
            "rather than individual lots of material. It shall cover ownership, sourcing "
            "countries, the supplier's own due diligence system and any history of "
            "sanctions, legal proceedings or credible allegations. The assessment shall "
            "draw on the supplier questionnaire, on public sources and on the results of "
            "any audit or site visit.",
            "The supplier risk assessment shall be updated at least once every 18 months. "
            "In addition, it shall be updated within 30 days of any change in the ownership "
            "of the supplier, any new sourcing country disclosed by the supplier, or any "
            "credible allegation of serious harm reported in the media. A supplier whose "
            "assessment is overdue by more than 60 days shall be placed on hold until the "
            "update is completed.",
            "The outcome of the supplier risk assessment shall be one of three categories: "
            "approved, approved with conditions, or not approved. A supplier that is "
            "approved with conditions shall receive a written improvement plan with "
            "measurable targets and deadlines that do not exceed 180 days. The Sourcing "
            "Compliance Officer shall follow up on the plan at its midpoint and at its "
            "deadline. A supplier that fails to meet the targets of two consecutive "
            "improvement plans shall be disengaged, and purchases from that supplier shall "
            "not resume for at least 24 months.",
            "The site should share a summary of the findings with the supplier so that the "
            "supplier understands the reasons for its category. Personal data gathered "
            "during the assessment shall be handled in line with applicable privacy law "
            "and shall not be shared beyond the people who need it to make a sourcing "
            "decision.",
        ]),
        Clause("6", "Grievance mechanism", [
            "The site shall operate a grievance mechanism through which workers, community "
            "members, suppliers and other stakeholders can raise concerns about the supply "
            "chain. The mechanism shall be free of charge, shall protect complainants from "
            "retaliation and shall be overseen by a named Grievance Officer who is not part "
            "of the purchasing department.",
        ]),
        Clause("6.1", "Access to the grievance mechanism", [
            "The grievance mechanism shall accept complaints in writing, by telephone and in "
            "person, and it shall allow anonymous complaints. Information about how to use "
            "the mechanism shall be available in every language spoken by at least 10 "
            "percent of the workforce at the site. A telephone line shall be staffed for at "
            "least 40 hours per week.",
        ]),
        Clause("6.2", "Remediation", [
            "Where a grievance is found to be justified, the site shall agree a remediation "
            "plan with the affected people within 60 days of the finding. Remediation may "
            "include compensation, restoration of damaged land, reinstatement of dismissed "
            "workers or a public apology. The Grievance Officer shall confirm with the "
            "complainant that the remediation has been delivered before the grievance is "
            "closed.",
        ]),
        Clause("V6.2.1", "Grievance records", [
            "Every grievance shall be logged in a register with a unique reference number on "
            "the day it is received, and the complainant shall receive an acknowledgement "
            "within 10 working days. The register shall record the date of receipt, the "
            "nature of the concern, the actions taken, the outcome and the date of closure.",
            "Grievance records shall be kept for at least five years after the grievance is "
            "closed. The identity of a complainant shall be stored separately from the "
            "description of the concern, and only the Grievance Officer shall have access to "
            "both.",
        ]),
        Clause("7", "Independent assurance", [
            "Conformance with this Standard shall be verified by an Independent Assessor "
            "accredited by the Widget Stewardship Council. A full assessment shall take "
            "place every three years, with a shorter surveillance visit in each of the two "
            "intermediate years. The same lead assessor shall not lead more than two "
            "consecutive full assessments at the same site.",
            "Major nonconformities found during an assessment shall be closed within 45 "
            "days, and the closure shall be confirmed by the Independent Assessor. Minor "
            "nonconformities shall be closed before the next surveillance visit.",
        ]),
        Clause("7.1", "Public reporting", [
            "The site shall publish an annual due diligence report within four months of the "
            "end of its financial year. The report shall describe the management system, "
            "the risks identified during the year, the steps taken to reduce them and the "
            "result of the most recent independent assessment. Each report shall remain "
            "available online for at least three years after publication.",
        ]),
        Clause("Annex II", "Red flag locations", [
            "A red flag location is any area listed in this annex. The list is fictional "
            "and exists only to support the use of this Standard in training. Locations are "
            "listed because of active armed conflict, documented forced labour or the "
            "absence of effective government control over extraction sites.",
            "The current list contains the Northern Basin of Valdoria, the Kesh River "
            "corridor, the port of Mirrowgate and all collection points within 50 "
            "kilometres of the Tarn highlands. The Council updates the list twice a year, "
            "in January and July, and a location stays on the list for at least 12 months "
            "after it is added.",
        ]),
        Clause("Appendix C", "Audit evidence checklist", [
            "This appendix lists the evidence that the Independent Assessor will normally "
            "ask to see. The list is informative, and a site may present different evidence "
            "if it shows that the same requirement is met. Evidence that is older than the "
            "relevant review period will not normally be accepted.",
            "For the management system, the assessor will ask for the signed supply chain "
            "policy, the minutes of the last two management reviews, the appointment letter "
            "of the Sourcing Compliance Officer and the training log for the last 12 "
            "months. For risk assessment, the assessor will ask for the supply chain map, "
            "the register of flagged lots, a sample of at least ten risk reports and the "
            "evidence that each high or critical risk was escalated.",
            "For supplier management, the assessor will select a random sample of at least "
            "15 percent of active suppliers, with a minimum of five, and will check the "
            "onboarding file, the current supplier risk assessment and any improvement plan "
            "for each supplier in the sample. For the grievance mechanism, the assessor will "
            "review the grievance register, interview the Grievance Officer and, with "
            "consent, speak to at least two complainants whose grievances were closed "
            "during the year.",
            "The assessor will also check the public reporting page on the website of the "
            "site, confirm that the annual report was published on time and compare the "
            "figures in the report with the internal records. Any difference of more than "
            "5 percent between published and internal figures shall be explained in "
            "writing.",
        ]),
    ]


def glossary_section_id(clauses: Sequence[Clause] | None = None) -> str:
    """Section id given to the glossary: one more than the highest leading
    integer among plain numeric sections (``"8"`` for :func:`sample_clauses`)."""
    if clauses is None:
        clauses = sample_clauses()
    top = 0
    for c in clauses:
        m = re.fullmatch(r"(\d+)(?:\.\d+)*", c.section)
        if m:
            top = max(top, int(m.group(1)))
    return str(top + 1)


def _padding_clause(i: int) -> Clause:
    """A filler clause with distinct text, used to reach ``min_pages``."""
    days = 20 + 7 * i
    return Clause(f"S{i}", f"Supplementary guidance note {i}", [
        f"Supplementary guidance note {i} gives practical advice on applying this "
        f"Standard at small sites. It suggests that the site hold a short internal "
        f"briefing within {days} days of each update to the Standard and that the briefing "
        f"be recorded in the training log. The note is informative and creates no new "
        f"requirements.",
        f"Sites that follow note {i} usually find that suppliers respond faster when "
        f"questions are sent in plain language and grouped by topic. The Council collects "
        f"examples of good practice and publishes a selection of them every {i + 2} "
        f"months so that other sites can learn from them.",
        f"Where a site has questions about note {i}, it may contact the Council "
        f"secretariat, which aims to answer within {i + 4} working days. Answers given by "
        f"the secretariat are guidance only and do not change the meaning of any "
        f"requirement in the Standard.",
    ])


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def _prepare_path(path: PathLike) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def _check_latin1(text: str, what: str) -> None:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError as exc:  # core fonts only cover latin-1
        raise ValueError(f"{what} contains characters outside latin-1: {text!r}") from exc


class _StandardPdf(FPDF):
    """FPDF with an optional running header and 'Page N of M' footer."""

    def __init__(self, header_text: str | None, page_numbers: bool) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._header_text = header_text
        self._page_numbers = page_numbers

    def header(self) -> None:  # called by fpdf on every add_page
        if self._header_text:
            self.set_font("Helvetica", "I", 9)
            self.cell(0, 6, self._header_text, align="C",
                      new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(4)

    def footer(self) -> None:
        if self._page_numbers:
            self.set_y(-15)
            self.set_font("Helvetica", "", 9)
            self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


def _new_pdf(header_text: str | None, page_numbers: bool) -> _StandardPdf:
    pdf = _StandardPdf(header_text, page_numbers)
    if page_numbers:
        pdf.alias_nb_pages()
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=True, margin=_MARGIN)
    pdf.set_creation_date(_FIXED_DATE)
    return pdf


def _write_heading(pdf: FPDF, text: str) -> int:
    """Write a bold heading line kept with the next two body lines; return its page."""
    pdf.ln(3)
    if pdf.will_page_break(_HEADING_H + 2 * _BODY_LINE_H + 2):
        pdf.add_page()
    pdf.set_font("Helvetica", "B", _HEADING_FONT_SIZE)
    pdf.cell(0, _HEADING_H, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    page = pdf.page_no()
    pdf.ln(1)
    return page


def _write_paragraph(pdf: FPDF, text: str, keep_together: bool = False) -> None:
    pdf.set_font("Helvetica", "", _BODY_FONT_SIZE)
    if keep_together:
        lines = pdf.multi_cell(0, _BODY_LINE_H, text, align="L", dry_run=True, output="LINES")
        if pdf.will_page_break(len(lines) * _BODY_LINE_H):
            pdf.add_page()
    pdf.multi_cell(0, _BODY_LINE_H, text, align="L",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(_PARA_GAP)


def _write_table(pdf: FPDF, rows: Sequence[Sequence[str]]) -> None:
    """A bordered 3-column table; every row is a single text line."""
    widths = (35.0, 50.0, 70.0)
    row_h = 7.0
    if pdf.will_page_break(row_h * len(rows)):
        pdf.add_page()
    for i, row in enumerate(rows):
        pdf.set_font("Helvetica", "B" if i == 0 else "", 10)
        for w, value in zip(widths, row):
            pdf.cell(w, row_h, value, border=1)
        pdf.ln(row_h)
    pdf.ln(_PARA_GAP + 1)


def _render_standard(
    *,
    title: str,
    version: str,
    clauses: Sequence[Clause],
    running_header: bool,
    footer_page_numbers: bool,
    table: bool,
    glossary: bool,
    set_metadata: bool,
    min_pages: int,
) -> tuple[bytes, int, dict[str, int]]:
    """Lay out the standard; return (pdf bytes, page count, clause_pages)."""
    _check_latin1(title, "title")
    _check_latin1(version, "version")
    for c in clauses:
        _check_latin1(c.heading_line, "heading")
        for para in c.body:
            _check_latin1(para, f"body of {c.section}")

    header_text = f"{title} - Version {version}" if running_header else None
    pdf = _new_pdf(header_text, footer_page_numbers)
    if set_metadata:
        pdf.set_title(title)
        pdf.set_subject(f"Version {version}")
        pdf.set_keywords(f"responsible sourcing, widgets, standard, version {version}")
        pdf.set_author(PUBLISHER)
        pdf.set_creator("tests/pdf_factory.py")

    pdf.add_page()
    # Title block on the first page.
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(0, 7, f"Version {version}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 7, f"Published by the {PUBLISHER}", align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    clause_pages: dict[str, int] = {}
    table_anchor: str | None = None
    if table and clauses:
        sections = [c.section for c in clauses]
        table_anchor = TABLE_SECTION if TABLE_SECTION in sections else sections[0]

    def write_clause(c: Clause) -> None:
        clause_pages[c.section] = _write_heading(pdf, c.heading_line)
        for i, para in enumerate(c.body):
            _write_paragraph(pdf, para)
            if c.section == table_anchor and i == 0:
                _write_table(pdf, TABLE_ROWS)
        if c.section == table_anchor and not c.body:
            _write_table(pdf, TABLE_ROWS)

    for c in clauses:
        write_clause(c)

    used = {c.section for c in clauses}
    n = 1
    while pdf.page_no() < min_pages:
        pad = _padding_clause(n)
        n += 1
        if pad.section in used:
            continue
        write_clause(pad)

    if glossary:
        gid = glossary_section_id(clauses)
        clause_pages[gid] = _write_heading(pdf, f"{gid} {GLOSSARY_HEADING}")
        for term, definition in GLOSSARY:
            _write_paragraph(pdf, f"{term}: {definition}", keep_together=True)

    pages = pdf.page_no()
    return bytes(pdf.output()), pages, clause_pages


# --------------------------------------------------------------------------
# Public builders
# --------------------------------------------------------------------------

def make_standard_pdf(
    path: PathLike,
    *,
    title: str = DEFAULT_TITLE,
    version: str = DEFAULT_VERSION,
    clauses: Sequence[Clause] | None = None,
    running_header: bool = True,
    footer_page_numbers: bool = True,
    table: bool = True,
    glossary: bool = True,
    set_metadata: bool = True,
    min_pages: int = 6,
) -> BuiltPdf:
    """Write a multi-page A4 standard and return where each heading landed.

    Layout: a title block on page 1, then each clause as a bold heading line
    ``"<section> <heading>"`` followed by wrapped body paragraphs in Helvetica.

    Args:
        path: Output file (parent directories are created).
        title: Document title, used in the title block, header and metadata.
        version: Version string, printed as ``"Version <version>"``.
        clauses: Clauses to print; defaults to :func:`sample_clauses`.
        running_header: Print ``"<title> - Version <version>"`` at the top of every page.
        footer_page_numbers: Print ``"Page N of M"`` at the bottom of every page.
        table: Print :data:`TABLE_ROWS` after the first paragraph of clause
            :data:`TABLE_SECTION` (or of the first clause if that one is absent).
        glossary: Finish with a ``"<n> Glossary"`` section of ``"Term: definition"``
            paragraphs (see :func:`glossary_section_id`, :data:`GLOSSARY`).
        set_metadata: Set PDF metadata: Title=title, Subject="Version <version>",
            Keywords containing "version <version>", Author=publisher.
        min_pages: Add filler clauses ``"S1"``, ``"S2"``... (before the glossary)
            until at least this many pages exist.

    Returns:
        :class:`BuiltPdf` whose ``clause_pages`` maps every section id
        (including filler clauses and the glossary) to its 1-based heading page.
    """
    out = _prepare_path(path)
    data, pages, clause_pages = _render_standard(
        title=title,
        version=version,
        clauses=list(clauses) if clauses is not None else sample_clauses(),
        running_header=running_header,
        footer_page_numbers=footer_page_numbers,
        table=table,
        glossary=glossary,
        set_metadata=set_metadata,
        min_pages=min_pages,
    )
    out.write_bytes(data)
    return BuiltPdf(path=out, pages=pages, clause_pages=clause_pages,
                    title=title, version=version)


def make_encrypted_pdf(path: PathLike, user_password: str = "secret") -> Path:
    """Write a password-protected copy of a small standard.

    The file is encrypted with pypdf (RC4 128-bit, which pypdf can read back
    without extra crypto packages) using a non-empty *user* password, so it
    cannot be opened with the empty password. The owner password is
    ``"owner-" + user_password``.
    """
    if not user_password:
        raise ValueError("user_password must be non-empty so the file cannot be opened without it")
    from pypdf import PdfReader, PdfWriter

    data, _, _ = _render_standard(
        title=DEFAULT_TITLE, version=DEFAULT_VERSION, clauses=sample_clauses()[:4],
        running_header=True, footer_page_numbers=True, table=False, glossary=False,
        set_metadata=True, min_pages=1,
    )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password,
                   owner_password=f"owner-{user_password}",
                   algorithm="RC4-128")
    out = _prepare_path(path)
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def _scan_like_image(page_index: int, size: tuple[int, int] = (620, 877)):
    """A grey 'scanned page' drawn with Pillow: fake text bars plus speckle noise."""
    from PIL import Image, ImageDraw

    rng = random.Random(1000 + page_index)
    w, h = size
    img = Image.new("RGB", size, (246, 244, 238))
    draw = ImageDraw.Draw(img)
    # A heading bar and lines of "text" made of word-sized blocks.
    draw.rectangle([60, 60, 60 + rng.randint(200, 320), 78], fill=(40, 40, 40))
    y = 110
    while y < h - 80:
        x = 60
        line_end = w - 60 - (rng.randint(0, 200) if rng.random() < 0.2 else 0)
        while x < line_end:
            word = rng.randint(12, 60)
            if x + word > line_end:
                break
            shade = rng.randint(30, 80)
            draw.rectangle([x, y, x + word, y + 7], fill=(shade, shade, shade))
            x += word + rng.randint(5, 9)
        y += rng.choice((16, 16, 16, 30))
    # A stamp-like circle and speckle noise.
    cx, cy = w - 140, h - 150
    draw.ellipse([cx, cy, cx + 80, cy + 80], outline=(150, 30, 30), width=4)
    for _ in range(4000):
        v = rng.randint(120, 220)
        draw.point((rng.randrange(w), rng.randrange(h)), fill=(v, v, v))
    return img


def make_image_only_pdf(path: PathLike, pages: int = 2) -> Path:
    """Write a PDF whose pages hold only a full-page raster image (no text layer,
    no fonts), like an unOCRed scan."""
    if pages < 1:
        raise ValueError("pages must be >= 1")
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(_FIXED_DATE)
    for i in range(pages):
        pdf.add_page()
        pdf.image(_scan_like_image(i), x=0, y=0, w=pdf.w, h=pdf.h)
    out = _prepare_path(path)
    out.write_bytes(bytes(pdf.output()))
    return out


def make_truncated_pdf(src_pdf: PathLike, path: PathLike, *, fraction: float = 0.4) -> Path:
    """Write the first ``fraction`` (default 40%) of the bytes of ``src_pdf``,
    so the xref table, trailer and ``%%EOF`` are missing."""
    data = Path(src_pdf).read_bytes()
    cut = max(1, int(len(data) * fraction))
    out = _prepare_path(path)
    out.write_bytes(data[:cut])
    return out


def make_html_named_pdf(path: PathLike) -> Path:
    """Write an HTML page (as a server error page might be) to a file named ``*.pdf``."""
    html = (
        "<!DOCTYPE html>\n"
        "<html lang=\"en\">\n"
        "<head>\n"
        "  <meta charset=\"utf-8\">\n"
        "  <title>Document library - Widget Stewardship Council</title>\n"
        "</head>\n"
        "<body>\n"
        "  <h1>Responsible Widget Sourcing Standard</h1>\n"
        "  <p>Your session has expired. Please sign in again to download "
        "the requested document.</p>\n"
        "  <p><a href=\"/login\">Sign in</a></p>\n"
        "</body>\n"
        "</html>\n"
    )
    out = _prepare_path(path)
    out.write_text(html, encoding="utf-8")
    return out


#: Sections and text of the run-together document (each paragraph is printed
#: word by word without any space characters).
RUN_TOGETHER_CLAUSES: tuple[Clause, ...] = (
    Clause("1", "Application verification", [
        "The application shall verify the identity of every supplier before the first "
        "purchase order is issued. Verification shall use an official registry extract "
        "that is no older than 90 days.",
        "Where the registry extract cannot be obtained, the application shall record the "
        "reason and ask the Sourcing Compliance Officer to approve an alternative source "
        "of evidence within ten working days.",
    ]),
    Clause("2", "Verification records", [
        "The results of each verification shall be stored with the supplier file and "
        "kept for seven years. A verification that fails shall block new orders until a "
        "second reviewer has checked the evidence.",
        "Summary statistics on failed verifications shall be reported to top management "
        "every quarter, together with the average time taken to resolve each failure.",
    ]),
)


def make_run_together_pdf(path: PathLike, *, geometry_gaps: bool = True) -> BuiltPdf:
    """Write a 2-page PDF whose text layer contains no space characters.

    Every word (headings included) is drawn as its own text object with
    ``FPDF.text(x, y, word)``; x advances by the word's width plus a gap, and
    no space glyph is ever emitted. pypdf's ``extract_text()`` returns long
    run-together tokens such as ``"Theapplicationshallverifytheidentity..."``
    in both variants.

    Args:
        path: Output file.
        geometry_gaps: Choose how the words are spaced.

            - ``True`` (default): text is horizontally condensed to 80 %
              (``Tz 80``) with a visible 0.8 mm gap between words. pypdf
              measures word widths without the condensing, so it sees no gap
              and runs words together, while pypdfium2 (which works from glyph
              geometry) recovers every space.
            - ``False``: normal width with only a 0.3 mm gap, below both
              extractors' thresholds, so pypdf *and* pypdfium2 run words together.

    Clause "1" is printed on page 1 and clause "2" on page 2.
    """
    title = "Supplier Verification Procedure"
    version = "1.0"
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(_FIXED_DATE)
    pdf.set_title(title)
    pdf.set_subject(f"Version {version}")
    if geometry_gaps:
        stretching, gap = 80.0, 0.8
    else:
        stretching, gap = 100.0, 0.3
    left, right = _MARGIN, 210 - _MARGIN

    def words_out(text: str, y: float, size: float, style: str, line_h: float) -> float:
        pdf.set_font("Helvetica", style, size)
        pdf.set_stretching(stretching)
        x = left
        for word in text.split():
            wlen = pdf.get_string_width(word)  # already includes stretching
            if x > left and x + wlen > right:
                x = left
                y += line_h
            pdf.text(x, y, word)
            x += wlen + gap
        return y + line_h

    clause_pages: dict[str, int] = {}
    for idx, clause in enumerate(RUN_TOGETHER_CLAUSES):
        pdf.add_page()
        y = 30.0
        if idx == 0:
            y = words_out(f"{title} Version {version}", y, 16, "B", 9) + 4
        clause_pages[clause.section] = pdf.page_no()
        y = words_out(clause.heading_line, y, 12, "B", 7) + 2
        for para in clause.body:
            y = words_out(para, y, 11, "", 5.6) + 3
    out = _prepare_path(path)
    out.write_bytes(bytes(pdf.output()))
    return BuiltPdf(path=out, pages=pdf.page_no(), clause_pages=clause_pages,
                    title=title, version=version)


# ------------------------------------------------------------------ a requirements table

#: (section title, requirement rows: (number, id, text, level marks)) of make_requirements_pdf
REQUIREMENT_SECTIONS = (
    (
        "V1: Data Storage Requirements",
        "Sensitive data must be kept out of places other apps can read. This section is normative.",
        (
            ("1.1", "REQ-STORE-1", "Verify that credentials are kept in the system key store.", 2),
            ("1.2", "REQ-STORE-2", "Verify that no sensitive data is written to application logs.", 2),
            ("1.3", "REQ-STORE-3", "Verify that the keyboard cache is disabled on text inputs that hold sensitive data, including every "
             "field where a user types a password, a one-time code or a card number, on every platform the app supports.", 1),
            ("1.4", "REQ-STORE-4", "Verify that backups made by the operating system exclude sensitive data.", 1),
        ),
    ),
    (
        "V2: Network Requirements",
        "Apps should pin the certificate of their own servers.",
        (
            ("2.1", "REQ-NET-1", "Verify that data is encrypted on the network with TLS 1.2 or later.", 2),
            ("2.2", "REQ-NET-2", "Verify that the app pins the certificate of its own servers.", 1),
        ),
    ),
)


def make_requirements_pdf(path: PathLike) -> Path:
    """A verification standard in the shape of OWASP's: per section a control objective, then a
    table "# ID Description L1 L2" whose rows carry check marks in the level columns (two marks:
    L1 and L2; one: L2 only), one row long enough to wrap. Typeset with DejaVu (the marks)."""
    out = _prepare_path(path)
    fonts = Path("/usr/share/fonts/truetype/dejavu")
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title("Example App Verification Standard")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 9, "Example App Verification Standard", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 6, "Version 1.0", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Foreword. Everyone who builds an app must think about security, and readers should enjoy this text. "
                   "An app is verified against level L1 or level L2, chosen by its risk assessment.", new_x="LMARGIN", new_y="NEXT")
    for title, objective, rows in REQUIREMENT_SECTIONS:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 13)
        pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 6, objective, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(0, 6, "Security Verification Requirements", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.cell(12, 7, "#", border=1)
        pdf.cell(30, 7, "ID", border=1)
        pdf.cell(118, 7, "Description", border=1)
        pdf.cell(10, 7, "L1", border=1)
        pdf.cell(10, 7, "L2", border=1, new_x="LMARGIN", new_y="NEXT")
        for number, ident, text, marks in rows:
            marks_cells = ["\u2713", "\u2713"] if marks == 2 else ["", "\u2713"]
            height = 7 * len(pdf.multi_cell(118, 7, text, dry_run=True, output="LINES"))
            pdf.cell(12, height, number, border=1)
            pdf.cell(30, height, ident, border=1)
            pdf.multi_cell(118, 7, text, border=1, new_x="RIGHT", new_y="TOP")
            pdf.cell(10, height, marks_cells[0], border=1)
            pdf.cell(10, height, marks_cells[1], border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(out))
    return out


# ------------------------------------------------------------------ hostile files


def make_zero_page_pdf(path: PathLike) -> Path:
    """A well-formed PDF whose page tree holds no page."""
    out = _prepare_path(path)
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    xref_at = len(body)
    body += b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer << /Size 3 /Root 1 0 R >>\nstartxref\n"
    out.write_bytes(body + str(xref_at).encode() + b"\n%%EOF\n")
    return out


def make_nested_pdf(path: PathLike, depth: int = 50_000) -> Path:
    """A PDF whose only page has a /Contents array nested `depth` levels deep (a parser that
    recurses into it runs out of stack)."""
    out = _prepare_path(path)
    nested = b"[" * depth + b"]" * depth
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " + nested + b" >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{i} 0 obj ".encode() + obj + b" endobj\n"
    xref_at = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    out.write_bytes(body)
    return out


def make_docx_bomb(path: PathLike, unpacked_mb: int = 300) -> Path:
    """A DOCX whose word/document.xml unpacks to `unpacked_mb` MB of zeros (a few hundred KB packed)."""
    import zipfile

    out = _prepare_path(path)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with z.open("word/document.xml", "w") as member:
            chunk = b"0" * (1024 * 1024)
            for _ in range(unpacked_mb):
                member.write(chunk)
    return out
