"""Build the two synthetic PDFs of the evaluation dev corpus.

Usage::

    python evals/corpus/build_dev_corpus.py OUT_DIR

or, from Python, ``build(out_dir) -> list[Path]``.

Two documents are written, both entirely invented (fictional organisations,
places and rules; no text is taken from any real standard):

``cobalt_refining_code.pdf``
    "Responsible Cobalt Refining Code", Version 3.0, published by the fictional
    Alliance for Responsible Cobalt Refining. 31 A4 pages laid out like a
    multi-stakeholder due diligence standard: cover page, table of contents with
    dot leaders and page numbers (filled in by a second layout pass), an
    unnumbered Foreword, numbered sections 1-7, five "Step N Criteria"
    subsections of section 5 (steps 2-5 start a new page) with numbered
    requirements (5.2.1, 5.2.2, ...), lettered sub-items "a) ..." on their own
    lines, italic "Note:" / "Example:" paragraphs, tables drawn as bordered cell
    rows (finding grades in 5, response times by risk level in 5.3.3, revision
    history in 7, red flag register fields in Annex I), a "Term: definition"
    glossary (section 6) and two annexes ("Annex I: ...", "Annex II: ...") whose
    subsections restart at 1. Requirements 5.1.3 and 5.2.3 have bodies longer than
    1,500 characters, and many requirements run across a page break. Running
    header (title + version) and "Page N" footer on every page, cover included.
    Core Helvetica font, latin-1 text only.

``smelter_audit_guidance.pdf``
    "Smelter Audit Guidance", rev. 2 (2024), published by the fictional Northbridge
    Metals Assurance Network. 11 pages in a different layout: title block and an
    unheaded introduction on page 1 (no cover, no table of contents), a
    "Definitions" section of "Term - definition" entries written with an en dash
    (U+2013, encoded through the core fonts' windows-1252 mapping), then
    "Article 1" ... "Article 12" headings (article number on one centred line,
    title in italics on the next) whose numbered paragraphs "1.", "2.", ... are
    hanging-indent list items with "(a)" sub-points, a two-column table of audit
    stages and durations drawn with horizontal rules only (Article 5), justified
    Times text, a closing adoption block, and a footer holding only the page
    number.

The output is deterministic: the same bytes on every run (fixed creation date,
no randomness).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence, Union

from fpdf import FPDF
from fpdf.enums import XPos, YPos

PathLike = Union[str, os.PathLike]

_FIXED_DATE = datetime(2025, 6, 2, 8, 30, 0, tzinfo=timezone.utc)
_GUIDANCE_DATE = datetime(2024, 9, 9, 10, 0, 0, tzinfo=timezone.utc)

COBALT_FILE = "cobalt_refining_code.pdf"
GUIDANCE_FILE = "smelter_audit_guidance.pdf"

COBALT_TITLE = "Responsible Cobalt Refining Code"
COBALT_VERSION = "3.0"
COBALT_PUBLISHER = "Alliance for Responsible Cobalt Refining"

GUIDANCE_TITLE = "Smelter Audit Guidance"
GUIDANCE_VERSION = "rev. 2"
GUIDANCE_PUBLISHER = "Northbridge Metals Assurance Network"


# ==========================================================================
# Document model
# ==========================================================================

@dataclass(frozen=True)
class Heading:
    """A heading line. ``level`` 1 starts a new page in the Code."""

    section: str          # as printed, e.g. "5.2.3", "Annex I", "Article 4", "" for unnumbered
    title: str
    level: int            # 1 = top, 2 = sub, 3 = requirement / annex subsection
    toc: bool = True      # listed in the table of contents (levels 1-2 only)
    sep: str = " "        # between section id and title ("Annex I: Title" uses ": ")
    new_page: bool = False  # level 2 headings that start a new page (the five steps)

    @property
    def line(self) -> str:
        if not self.section:
            return self.title
        return f"{self.section}{self.sep}{self.title}"


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Note:
    """An informative note, printed smaller and indented, starting with "Note:"
    (or "Example:")."""

    text: str
    label: str = "Note"


@dataclass(frozen=True)
class Items:
    """Labelled sub-items printed one per line with a hanging indent."""

    items: tuple[tuple[str, str], ...]
    indent: float = 6.0


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]   # first row is the header
    widths: tuple[float, ...]
    caption: str = ""


@dataclass(frozen=True)
class Terms:
    """Glossary entries printed as "Term<sep>definition" paragraphs."""

    entries: tuple[tuple[str, str], ...]
    sep: str = ": "


Block = Union[Heading, Para, Note, Items, Table, Terms]


def _items(*pairs: str) -> Items:
    """_items("a)", "text", "b)", "text", ...)"""
    it = iter(pairs)
    return Items(tuple(zip(it, it)))


def _lettered(*texts: str) -> Items:
    return Items(tuple((f"{chr(ord('a') + i)})", t) for i, t in enumerate(texts)))


# ==========================================================================
# Content: Responsible Cobalt Refining Code, Version 3.0
# ==========================================================================

def cobalt_blocks() -> list[Block]:
    """Body of the Code (everything after the cover and the contents page)."""
    H = Heading
    P = Para
    N = Note
    return [
        # ------------------------------------------------------------ foreword
        H("", "Foreword", 1),
        P("Cobalt is found in the rechargeable batteries of phones, laptops and electric "
          "vehicles, in the hard-metal tools used to cut and drill, and in the alloys of "
          "jet engines. Demand for it has grown quickly, and much of the world's supply "
          "comes from a small number of regions where mining is linked to conflict, unsafe "
          "artisanal work and child labour. Refiners sit at a narrow point in this supply "
          "chain: a few dozen refineries turn the output of thousands of mines and "
          "collectors into the cobalt chemicals and metal that manufacturers buy."),
        P("The Alliance for Responsible Cobalt Refining was set up in 2016 by four "
          "refiners and three civil society organisations after a series of reports on "
          "abuses at artisanal sites in the Lurava Copperbelt. Its founders agreed that "
          "refiners were well placed to ask hard questions about where their material came "
          "from, and that a shared code would be more credible, and cheaper to apply, than "
          "each refiner writing its own rules. Today the Alliance has 38 members in 11 "
          "countries, and its governance gives industry and civil society members an equal "
          "number of seats on the Board."),
        P("This third version of the Code is the result of two years of work by a drafting "
          "committee of twelve people, two public consultations and pilot audits at three "
          "refineries. It keeps the five-step structure that companies already know, but it "
          "asks more of them where experience showed that earlier versions were too weak: "
          "in mapping supply chains back to the mine, in dealing with material sold as "
          "recycled, and in setting firm deadlines for the response to each risk."),
        P("Readers new to the Code may find it easiest to start with section 3, which "
          "explains who and what the Code covers, and then to read section 5 one step at a "
          "time. The glossary in section 6 explains the terms used, and the two annexes "
          "give the detailed lists that the requirements refer to. Questions about the "
          "Code may be sent to the Alliance secretariat, which publishes answers to common "
          "questions on its website."),
        P("The Alliance thanks the members of the drafting committee, the companies that "
          "took part in the pilot audits and the community organisations in the Lurava "
          "Copperbelt and the Mbeta river valley that hosted consultation meetings."),

        # ------------------------------------------------------------ 1
        H("1", "Overview", 1),
        P("The Responsible Cobalt Refining Code (the Code) is published by the Alliance for "
          "Responsible Cobalt Refining (the Alliance), a multi-stakeholder body whose members "
          "include cobalt refiners, traders of cobalt intermediates, battery cell makers, "
          "civil society organisations and representatives of communities living near cobalt "
          "mines. The Code sets out what a company in scope has to do to show that it finds, "
          "prevents and accounts for serious harms linked to the cobalt it buys, processes "
          "and sells."),
        P("The Code follows a five-step due diligence framework. Step 1 builds the "
          "management system that makes due diligence part of everyday business. Step 2 "
          "identifies red flags and assesses the risks behind them. Step 3 responds to the "
          "risks that were found. Step 4 checks the work through an independent third-party "
          "audit, and Step 5 reports publicly on what was done. Section 5 turns each step "
          "into conformance criteria that an auditor can check."),
        P("Version 3.0 replaces Version 2.2. The most important changes are the extension "
          "of the Code to traders of cobalt hydroxide, new rules for recycled material, a "
          "table of response times for each risk level and a revised audit cycle. The full "
          "list of changes is given in section 7. Companies already conformant with Version "
          "2.2 have until 30 June 2026 to move to Version 3.0; audits started after that "
          "date are carried out against Version 3.0 only."),
        P("The Code is designed to sit alongside, not in place of, the wider international "
          "guidance on responsible mineral supply chains that governments and "
          "international organisations have published. Companies that already follow such "
          "guidance will find that the Code turns its general expectations into specific, "
          "auditable requirements for cobalt refiners, with deadlines and thresholds that "
          "make audits comparable from one company to the next."),
        P("Requirements in this Code are written with the word shall. The word should "
          "marks a recommendation that an auditor will note but will not grade, and the word "
          "may marks a permitted option. Notes and examples explain the requirements and do "
          "not create obligations of their own."),
        H("1.1", "Objectives", 2),
        P("The Code has four objectives, which the Alliance Board reviews together with the "
          "Code itself:"),
        _lettered(
            "to make sure that cobalt refined by companies in scope does not finance armed "
            "groups, depend on forced or child labour or contribute to other serious abuses;",
            "to give buyers and investors one consistent and comparable way of checking "
            "the due diligence of cobalt refiners;",
            "to bring at least 95 percent of the cobalt input of every conformant company "
            "under a documented risk assessment by the end of 2027;",
            "to support, rather than shut out, responsible artisanal and small-scale "
            "producers, so that formalisation and improvement remain possible.",
        ),
        P("Progress against the third objective is measured from the confidential data "
          "that companies send to the Alliance under requirement 5.5.2. The Alliance "
          "publishes the aggregated result once a year, without naming individual "
          "companies."),
        P("The Board reviews the objectives at the same time as it starts each full "
          "revision of the Code. If an objective has been reached, or has become "
          "unrealistic, the Board may replace it, but only after the change has been open "
          "to public comment for at least 60 days."),
        H("1.2", "Principles", 2),
        P("The following principles guide how the Code is written, applied and audited. "
          "Where a requirement can be read in more than one way, auditors and companies "
          "shall choose the reading that fits these principles best."),
        _items(
            "Proportionality:",
            "the effort expected from a company grows with the severity and likelihood of "
            "the risks in its supply chain and with its own size and influence.",
            "Continuous improvement:",
            "a company is not expected to remove every risk at once, but it shall show "
            "measurable progress from one audit cycle to the next.",
            "Engagement before exit:",
            "where risks can be reduced, staying engaged with a supplier and working on "
            "improvement is preferred to walking away, except for the serious abuses listed "
            "in requirement 5.2.6.",
            "Transparency:",
            "companies report publicly on their due diligence, and the Alliance publishes "
            "the audit status of every participating company.",
            "Respect for rights holders:",
            "workers, artisanal miners and communities are treated as people whose rights "
            "are at stake, not only as sources of information, and their safety comes "
            "before the needs of an assessment.",
            "Mutual recognition:",
            "an audit carried out under another programme is accepted where the Alliance "
            "Equivalence Panel has confirmed that it covers the same requirements.",
        ),
        P("The principles are not themselves requirements, and an auditor cannot grade a "
          "company against them. They matter when a requirement leaves room for judgement, "
          "for example when deciding whether a risk management plan is proportionate or "
          "whether a company has engaged with a supplier in good faith before deciding to "
          "disengage."),
        P("The Equivalence Panel is made up of five members: two nominated by industry "
          "members, two nominated by civil society members and one independent chair. It "
          "publishes its decisions on recognised programmes together with any gaps that a "
          "company has to close on its own."),

        # ------------------------------------------------------------ 2
        H("2", "Disclaimers", 1),
        P("This Code is a voluntary instrument. It does not replace, reduce or interpret "
          "any obligation that a company has under the law of the countries in which it "
          "operates or from which it sources. Where national law sets a higher bar than "
          "this Code, the company shall meet the law. Where the law and the Code conflict, "
          "the company shall follow the law and record the conflict so that the auditor "
          "can review how it was handled."),
        P("Conformance with the Code shows that a company has a due diligence system that "
          "meets the requirements at the time of the audit. It is not a guarantee that "
          "every kilogram of cobalt handled by the company is free of risk, and it shall "
          "not be described as a certificate of conflict-free or child-labour-free "
          "material in marketing, on product labels or in sales contracts."),
        P("The Alliance, its members, its staff and the auditors it approves accept no "
          "liability for losses that a company or any other person suffers from relying "
          "on the Code, on an audit result or on information published by the Alliance. "
          "Each company remains responsible for its own sourcing decisions."),
        P("The Code is written in English. Translations may be published to help "
          "companies and affected stakeholders, but if a translation differs from the "
          "English text, the English text prevails."),
        P("All organisations, places and figures in this document are fictional. The Code "
          "was written as training and test material and does not describe any real "
          "standard, company or region."),
        P("Nothing in this Code is intended to encourage companies to avoid whole "
          "regions or countries. Blanket withdrawal from an area can harm the people who "
          "depend on mining for their income without reducing the risks the Code is meant "
          "to address, and the Alliance does not treat such withdrawal as evidence of good "
          "due diligence."),

        # ------------------------------------------------------------ 3
        H("3", "Applicability", 1),
        P("This section explains which companies, which materials and which places the "
          "Code covers. A company that is unsure whether it is in scope should ask the "
          "Alliance secretariat for a written scope opinion before it applies for an "
          "audit. The secretariat aims to answer such requests within 20 working days, and "
          "its opinion is binding on the auditor."),
        H("3.1", "Companies in scope", 2),
        P("The Code applies to every company that operates a cobalt refinery and "
          "processes at least 250 tonnes of contained cobalt in a calendar year. It also "
          "applies to every company that buys and sells cobalt hydroxide or other cobalt "
          "intermediates in volumes above 2,000 tonnes (dry weight) a year, even where the "
          "company never processes the material itself."),
        P("Where a company operates more than one refinery, each refinery shall be "
          "audited separately. A refinery cannot rely on the audit result of a sister site, "
          "although group-level documents such as the supply chain policy may be shared "
          "between sites and reviewed once."),
        P("Traders of cobalt hydroxide that are brought into scope for the first time by "
          "this version of the Code have until 31 December 2026 to complete their first "
          "audit. During this transition period they may describe themselves as "
          "participating in the Code, but not as conformant with it."),
        P("Companies below these thresholds may join the Alliance and apply the Code "
          "voluntarily. They are audited against the same requirements but may use the "
          "simplified audit format described in requirement 5.4.3, which allows the "
          "on-site part of the audit to be shortened to one day."),
        P("Battery cell makers, cathode producers and other downstream companies are not "
          "audited under this Code. They may become supporting members of the Alliance, "
          "and they are expected to use the public audit status of their refiners when "
          "they carry out their own due diligence."),
        H("3.2", "Materials in scope", 2),
        P("The Code covers all cobalt-bearing material that a company in scope receives, "
          "whatever its form. This includes cobalt ores and concentrates, cobalt "
          "hydroxide, mixed hydroxide precipitate, crude cobalt salts, cobalt-bearing "
          "alloys and mattes, and recycled material. Copper or nickel concentrates that "
          "contain cobalt as a by-product are in scope when the company pays for the cobalt "
          "content or recovers it."),
        P("Recycled material is in scope, but a lighter set of rules applies to it "
          "because its risks are different. Material counts as recycled only if it is "
          "scrap from the manufacture of cobalt-containing products (such as cathode "
          "production offcuts) or from products at the end of their life (such as spent "
          "batteries and used hard-metal tools). Material that has only been refined, "
          "blended, crushed or repackaged is not recycled material."),
        P("A company whose cobalt input consists entirely of recycled material falls "
          "within scope but is only required to meet Step 1, Step 5 and the verification "
          "rules in Annex II. A company that buys both mined and recycled material shall "
          "apply the full Code to the mined material and the Annex II rules to the "
          "recycled material. Where recycled material makes up less than 10 percent by "
          "weight of a mixed lot, the whole lot shall be treated as mined material."),
        P("Material that is declared as recycled but shows signs of being freshly mined "
          "shall be treated as mined material until the company has verified the "
          "declaration. Annex II lists the signs that call a recycled declaration into "
          "question."),
        N("A refinery that buys spent battery material from a collector and also buys "
          "hydroxide from a trader applies Annex II to the battery material and the full "
          "Code to the hydroxide. If the collector delivers a lot in which spent battery "
          "material has been mixed with a small amount of hydroxide, the rules on mixed lots "
          "in this section decide how the lot is treated."),
        H("3.3", "Geographical scope", 2),
        P("The Code applies to material from every country, not only from regions that "
          "are known to be affected by conflict. A company shall decide for itself which "
          "of its sourcing areas are conflict-affected or high-risk, using credible "
          "sources and the indicators in Annex I."),
        P("To help with this, the Alliance publishes a Regional Risk Reference, an "
          "indicative list of areas where cobalt mining or trading is known to be linked to "
          "serious harm. The Regional Risk Reference is updated twice a year, in February "
          "and August. It currently includes, among other areas, the Lurava Copperbelt of "
          "the Republic of Ostrana and the river port of Sendai-Koru on the Mbeta river. An "
          "area that is not on the list is not thereby low risk, and the company shall "
          "still apply its own assessment."),
        P("The risk in an area can change quickly. A company shall not wait for the next "
          "update of the Regional Risk Reference before acting on credible new information, "
          "such as reports of fighting near a mining area or of a new armed group taking "
          "control of a trading route. Such information shall be treated as a location red "
          "flag as soon as the company becomes aware of it."),
        P("Where a company's refinery is itself located in a conflict-affected or "
          "high-risk area, the auditor shall also review the security arrangements at the "
          "refinery and the company's relations with public and private security "
          "providers."),

        # ------------------------------------------------------------ 4
        H("4", "Collaboration", 1),
        P("Companies often share suppliers, mines and trading routes. The Alliance "
          "encourages them to work together where this makes due diligence better or "
          "cheaper, provided that collaboration never replaces each company's own "
          "responsibility for its sourcing decisions."),
        P("Two or more companies may carry out a joint on-the-ground assessment of a "
          "shared supplier or mine and use the same assessment report. A joint assessment "
          "report may be relied on by each participating company for up to 24 months from "
          "the date of the site visit, provided that no new red flag has come to light in "
          "the meantime. Each company shall still record its own conclusions and its own "
          "risk management decisions."),
        P("The Alliance runs an Upstream Assessment Pool through which members can "
          "commission joint assessments and share their cost. The cost of a pooled "
          "assessment is divided among the participating companies in proportion to the "
          "volume each bought from the assessed supplier in the previous year. Reports in "
          "the pool are available only to the companies that paid for them and to their "
          "auditors."),
        P("Collaboration shall respect competition law. Companies shall not exchange "
          "information on prices, margins, customers or future purchasing plans, and every "
          "joint meeting shall follow a written agenda that has been checked by the "
          "Alliance's competition counsel. Minutes of joint meetings shall be kept for the "
          "same period as other due diligence records."),
        P("Companies may also work together with industry programmes for other metals. "
          "Where a refinery also produces copper or nickel, it may use one combined "
          "management system and one combined audit, provided that every requirement of "
          "this Code is covered and can be traced in the audit report."),
        P("The Alliance also takes part in dialogue with governments of producing "
          "countries. Companies are encouraged to share with the Alliance, in anonymous "
          "form, the problems they meet when they try to carry out due diligence in a "
          "country, so that the Alliance can raise them with the authorities concerned. "
          "The Alliance reports back to its members on this dialogue at its annual general "
          "meeting."),
        P("Members also share warnings through the Alliance's Supplier Alert Service. A "
          "member that suspends or disengages from a supplier because of a risk rated high "
          "or critical shall post an alert within 15 working days. The alert names the "
          "supplier and the category of risk but does not give the member's name, its "
          "volumes or the details of its findings. Other members that buy from the same "
          "supplier shall treat the alert as a supplier red flag."),
        N("Joint assessments do not need to be carried out through the Upstream "
          "Assessment Pool. Companies may also arrange them directly with each other, as "
          "long as the rules in this section on competition law and on the use of shared "
          "reports are followed."),

        # ------------------------------------------------------------ 5
        H("5", "Conformance criteria", 1),
        P("This section contains the criteria against which a company is audited. They "
          "are grouped by due diligence step. Each requirement has its own number, and the "
          "auditor grades each one as conformant, minor non-conformance or major "
          "non-conformance. A company is conformant with the Code when it has no open major "
          "non-conformance."),
        P("The requirements of each step build on those of the step before. A company "
          "cannot, for example, be conformant with Step 3 if it has not identified its "
          "risks under Step 2. Auditors therefore review the steps in order, and a major "
          "non-conformance in one step is noted in the audit report wherever it affects "
          "a later step."),
        P("A minor non-conformance is a gap that does not, on its own, stop the due "
          "diligence system from working. A major non-conformance is a missing or failed "
          "requirement, or a set of minor gaps in the same step that together mean the "
          "step does not achieve its purpose."),
        P("The table below summarises the grades an auditor may give and what each grade "
          "means for the company. The detailed rules on corrective action are in "
          "requirement 5.4.4."),
        Table(
            rows=(
                ("Grade", "Effect on status", "Correction due"),
                ("Conformant", "None", "No action needed"),
                ("Minor non-conformance", "None", "Before next surveillance review"),
                ("Major non-conformance", "Not conformant", "Within 90 days of report"),
            ),
            widths=(50.0, 42.0, 66.0),
        ),
        P("An auditor may also record observations. An observation is not a grade: it "
          "points to a practice that meets the requirement today but may not do so in "
          "future. The company is not required to act on an observation, but the auditor "
          "will check at the next audit whether it has turned into a non-conformance."),

        H("5.1", "Step 1 Criteria: Management System", 2),
        P("Step 1 asks the company to set up the structures, rules and records that make "
          "the other four steps possible. The requirements in this subsection apply to "
          "every company in scope, including companies that only buy recycled material."),
        H("5.1.1", "Supply chain policy", 3),
        P("The company shall adopt a written supply chain policy for cobalt that commits it "
          "to the due diligence described in this Code and states that it will not "
          "tolerate the serious abuses listed in requirement 5.2.6. The policy shall be "
          "approved by senior management and signed by the chief executive or the "
          "equivalent officer."),
        P("The policy shall be published on the company's website and sent to all direct "
          "suppliers of cobalt-bearing material within 30 days of its approval. It shall be "
          "reviewed at least once every three years and whenever the company starts "
          "sourcing from a new country or a new type of material."),
        N("A group of companies may adopt one policy for all its refineries. In that case "
          "the policy shall name every refinery it covers, and each refinery shall show the "
          "auditor how the policy was communicated to its own suppliers."),
        H("5.1.2", "Due Diligence Lead", 3),
        P("Senior management shall appoint a Due Diligence Lead who is responsible for "
          "the day-to-day operation of the due diligence system. The Due Diligence Lead "
          "shall have the authority to stop a purchase, to hold a lot in quarantine and to "
          "ask any department for information. The appointment shall be made in writing "
          "and shall name a deputy who can act when the Due Diligence Lead is absent."),
        P("The Due Diligence Lead shall report to the board of directors, or to the "
          "equivalent governing body, at least twice a year. The report shall cover open "
          "red flags, the progress of every risk management plan, grievances received and "
          "the results of any audit. The board shall record its response to each report in "
          "its minutes."),
        P("To avoid conflicts of interest, the pay of the Due Diligence Lead shall not "
          "include bonuses or other rewards linked to purchase volumes, prices paid or "
          "sales targets. Where the Due Diligence Lead also has other duties, the company "
          "shall show the auditor how the two roles are kept apart."),
        H("5.1.3", "Internal controls and chain of custody", 3),
        P("The company shall operate internal controls that allow every lot of "
          "cobalt-bearing material to be traced from the moment it is bought until it "
          "leaves the refinery as product, waste or residue. For each lot, the company "
          "shall record at least the following information:"),
        _lettered(
            "the supplier's name, the purchase contract number and the date of purchase;",
            "the gross weight, the moisture content and the assayed cobalt content;",
            "the declared mine, collection point or recycler of origin and the country of "
            "origin;",
            "the transport route, including every border crossing and every place where the "
            "material was stored for more than 48 hours;",
            "every company that took legal ownership of the material before it reached the "
            "refinery;",
            "whether the lot is mined or recycled material and, for recycled material, a "
            "reference to the supplier declaration required by Annex II.",
        ),
        P("The company shall reconcile the cobalt content of incoming lots with its "
          "production and inventory records every month. A difference of more than 2 "
          "percent between the cobalt bought and the cobalt accounted for in production, "
          "stock and losses shall be investigated by the Due Diligence Lead, and the result "
          "of the investigation shall be recorded. Unexplained differences found in two "
          "consecutive months shall be reported to senior management. Lots whose "
          "documentation is incomplete shall be kept physically separate and shall not be "
          "processed until the missing information has been obtained or the Due Diligence "
          "Lead has approved their use in writing with reasons. The company shall also "
          "protect its records from unauthorised changes: entries shall show who made them "
          "and when, and corrections shall leave the original entry readable."),
        N("Many refineries already trace lots for quality and accounting reasons. The "
          "Code does not require a separate system, but it does require that the "
          "information listed above can be retrieved for any lot without delay."),
        H("5.1.4", "Training", 3),
        P("The company shall train every employee and contractor whose work affects the "
          "purchase, receipt, sampling or storage of cobalt-bearing material. New staff in "
          "these roles shall receive at least six hours of due diligence training within "
          "the first 45 days of their employment, and all staff in these roles shall take "
          "refresher training at least once every two years."),
        P("Training shall cover the supply chain policy, the red flags in Annex I, how to "
          "report a concern, and the procedure for holding a suspect lot. The company shall "
          "keep a training log showing the name of each person trained, the date, the "
          "duration and the topics covered. The Due Diligence Lead and the deputy shall "
          "complete external training recognised by the Alliance at least once per audit "
          "cycle."),
        N("Training may be given in person or online. Short briefings given during "
          "shift meetings may count towards the hours required, provided that they are "
          "recorded in the training log."),
        H("5.1.5", "Knowing your suppliers", 3),
        P("Before the first purchase from a new supplier, the company shall collect and "
          "check information that lets it know who it is dealing with. The supplier file "
          "shall contain at least:"),
        _lettered(
            "the supplier's full legal name, registered address and company registration "
            "number;",
            "the names of all natural persons who own or control 10 percent or more of the "
            "supplier, directly or through other companies;",
            "copies of the mining, export or trading licences that the supplier needs under "
            "local law;",
            "the result of screening the supplier and its owners against sanctions lists;",
            "the supplier's signed acknowledgement of the company's supply chain policy.",
        ),
        P("The supplier file shall be updated whenever the supplier's ownership changes "
          "and in any case at least every 24 months. Purchases from a supplier whose file "
          "has not been updated on time shall be suspended until the update is complete."),
        H("5.1.6", "Grievance mechanism", 3),
        P("The company shall operate a grievance mechanism, or take part in a shared "
          "mechanism run by the Alliance or another body, through which any person can "
          "raise a concern about the company's cobalt supply chain. The mechanism shall be "
          "free of charge, shall accept anonymous complaints and shall be available in the "
          "official languages of every country from which the company sources mined "
          "material."),
        P("Each complaint shall be acknowledged within 7 days of receipt. The company "
          "shall tell the complainant the outcome of its review within 45 days, or explain "
          "why more time is needed and when an answer can be expected. People who raise "
          "concerns in good faith shall be protected from retaliation, and the identity of "
          "a complainant shall only be shared with the complainant's consent."),
        P("The company shall keep a log of every complaint received, the steps taken and "
          "the outcome. Complaints about a serious abuse listed in requirement 5.2.6 shall "
          "be passed to the Due Diligence Lead on the day they are received."),
        H("5.1.7", "Record keeping", 3),
        P("The company shall keep all records created under this Code for at least five "
          "years. Records include supplier files, chain of custody records, red flag "
          "registers, assessment reports, risk management plans, training logs, grievance "
          "files, board minutes on due diligence and audit reports. Records may be kept on "
          "paper or in electronic form, but they shall be retrievable within five working "
          "days when the auditor asks for them."),
        H("5.1.8", "Resources", 3),
        P("Senior management shall give the due diligence system enough people, budget "
          "and tools to meet this Code. As a minimum, the company shall assign the "
          "equivalent of one full-time person to due diligence work for every 5,000 tonnes "
          "of contained cobalt it processes in a year, and at least one full-time person in "
          "any case. The budget for on-the-ground assessments shall be set each year in "
          "advance and shall not depend on the approval of the purchasing department."),

        H("5.2", "Step 2 Criteria: Red Flags Identification and Risk Assessment", 2, new_page=True),
        P("Step 2 asks the company to find out where its risks are. Red flags are the "
          "starting point: they tell the company which supplies need a closer look. The "
          "risk assessment then establishes whether a real risk of serious harm exists and "
          "how severe and likely it is."),
        H("5.2.1", "Identifying red flags", 3),
        P("The company shall screen every supply of mined material against the red flag "
          "indicators in Annex I before the first purchase and again whenever it receives "
          "information that may change the result. Annex I sets out three location red "
          "flags, four supplier red flags and two circumstance red flags. A supply for "
          "which any one indicator is met is a red-flagged supply."),
        P("Each red flag shall be entered in a red flag register within 10 working days of "
          "being identified. The register shall show the supply concerned, the indicator "
          "that was met, the source of the information, the date and the action taken. A "
          "red flag may only be closed by the Due Diligence Lead, who shall record the "
          "evidence that supports closing it."),
        N("A red flag is not a finding that something is wrong. It is a signal that the "
          "company does not yet know enough about a supply. Many red flags are closed "
          "after the enhanced review shows that the risk is low."),
        H("5.2.2", "Supply chain mapping", 3),
        P("The company shall map the supply chain of each mined material it buys, from "
          "the refinery back to the mine or mines of origin. For a new supplier, the map "
          "shall be completed within 90 days of the first purchase. Purchases may continue "
          "during this period only if no red flag has been identified for the supplier."),
        P("The supply chain map shall show:"),
        _lettered(
            "each mine or group of mines of origin, with its location and whether it is a "
            "large-scale or an artisanal and small-scale operation;",
            "every trader, processor, exporter and logistics hub between the mine and the "
            "refinery;",
            "the transport routes used, with the main border crossings;",
            "the volume bought through each route during the last 12 months.",
        ),
        P("The map shall be kept up to date. Where a supplier adds a new source, changes "
          "its route or is taken over by another company, the company shall update the map "
          "before it accepts the next lot from that supplier. Where a supplier refuses to "
          "name its sources, the company shall record the refusal, treat the refusal as a "
          "supplier red flag and inform the Due Diligence Lead within 5 working days."),
        N("Where material from many small mines is pooled at a buying centre, the map may "
          "show the buying centre and the area it buys from rather than each individual "
          "pit, provided that the enhanced review covers a representative sample of the "
          "pits supplying the centre."),
        H("5.2.3", "Enhanced review of red-flagged supplies", 3),
        P("For every red-flagged supply, the company shall carry out an enhanced review "
          "that goes beyond documents and questionnaires. The enhanced review shall include "
          "an on-the-ground assessment of the mine, collection point or trading site "
          "concerned, completed within 120 days of the red flag being entered in the "
          "register. The on-the-ground assessment may be carried out by the company's own "
          "staff, by a contracted assessment team or through a joint assessment under "
          "section 4, but in every case the company remains responsible for its quality "
          "and its conclusions."),
        P("The enhanced review shall establish, as far as the evidence allows:"),
        _lettered(
            "the actual place of extraction and the conditions under which the material is "
            "mined, including the presence of children and the working conditions of "
            "artisanal miners;",
            "whether any armed group, public or private security force or other party "
            "collects illegal taxes or payments at the mine, on the transport route or at "
            "any trading point;",
            "the ownership and control of the mine and of every trader in the chain, "
            "including links to politically exposed persons;",
            "whether the volumes supplied are consistent with the known production "
            "capacity of the declared mines;",
            "the views of affected stakeholders, including workers, community members and "
            "local civil society organisations.",
        ),
        P("Where a site visit cannot be carried out safely, the assessment team may rely "
          "on a remote review that combines satellite imagery, interviews by telephone or "
          "video and reports from organisations present in the area. The team shall then "
          "record why the visit was not possible, which sources were used instead and "
          "which questions remain open, and the company shall try again to visit within "
          "six months. A remote review shall not be used for the same site twice in a row "
          "unless the Regional Risk Reference describes the area as inaccessible. While the "
          "enhanced review is under way the company may continue to buy from the supply "
          "only if no indicator of a serious abuse listed in requirement 5.2.6 has been "
          "found, and it shall inform the supplier in writing that the review is taking "
          "place and what information is expected from it."),
        N("The 120-day period is a maximum. Where the red flag suggests a serious abuse, "
          "the company is expected to act much sooner, and requirement 5.2.6 applies as "
          "soon as a reasonable risk is found."),
        H("5.2.4", "Assessment team", 3),
        P("The person leading an on-the-ground assessment shall have at least three years "
          "of field experience in human rights, mining or supply chain assessment. The team "
          "shall include at least one member who can interview people in a local language "
          "without relying on an interpreter provided by the supplier. Team members shall "
          "declare any personal or financial link to the supplier before the assessment "
          "starts."),
        P("Before each visit, the team shall prepare a written security plan that "
          "identifies the risks to the team and to the people it will interview. Interviews "
          "with workers and community members shall take place away from supplier "
          "management, and interview notes shall not record the names of interviewees "
          "unless they have agreed to it."),
        H("5.2.5", "Risk assessment report", 3),
        P("The findings of each enhanced review shall be written up in a risk assessment "
          "report. The report shall describe the supply assessed, the red flags that "
          "triggered the review, the evidence gathered, the people and organisations "
          "consulted, the risks found and the gaps in knowledge that remain. Each risk shall "
          "be rated as low, medium, high or critical according to its severity and "
          "likelihood."),
        P("The risk assessment report shall be approved by the Due Diligence Lead. It "
          "shall be updated at least once every 12 months for as long as the company keeps "
          "buying the supply, and earlier if a new red flag is identified. A report that has "
          "not been updated on time shall not be used to justify further purchases."),
        N("The Alliance publishes a template for the risk assessment report. Using the "
          "template is recommended but not required; reports in another format are "
          "accepted if they contain the same information."),
        H("5.2.6", "Serious abuses", 3),
        P("Some harms are so serious that no mitigation can justify continued sourcing. If "
          "the company finds a reasonable risk that a supply is linked to any of the "
          "following, it shall suspend purchases from the supplier immediately and in any "
          "case within 5 working days:"),
        _lettered(
            "torture or cruel, inhuman or degrading treatment;",
            "forced or compulsory labour;",
            "the worst forms of child labour;",
            "war crimes, crimes against humanity, genocide or widespread sexual violence;",
            "direct or indirect support to non-state armed groups, or to public security "
            "forces that illegally control mine sites or trading routes.",
        ),
        P("The suspension shall be recorded and reported to senior management. Purchases "
          "shall not resume unless an enhanced review completed after the suspension "
          "concludes that the link no longer exists, and that conclusion has been approved "
          "by senior management."),
        H("5.2.7", "Artisanal and small-scale sources", 3),
        P("Where the supply chain map shows that material comes wholly or partly from "
          "artisanal and small-scale mining, the company shall apply the following "
          "additional measures:"),
        _lettered(
            "the enhanced review shall check whether the sites are inside an area that the "
            "authorities have set aside for artisanal mining;",
            "the company shall confirm that a system for monitoring child labour operates "
            "at each site or buying centre, and shall review its reports;",
            "the sites or buying centres shall be visited by the company or its assessment "
            "team at least twice a year while purchases continue;",
            "the company shall check that miners are paid at the point of sale and are not "
            "required to sell through a single buyer imposed by an armed or security "
            "group.",
        ),
        P("Artisanal and small-scale sources are not in themselves a reason to stop "
          "buying. The purpose of these measures is to allow responsible artisanal "
          "production to continue while risks are brought under control."),

        H("5.3", "Step 3 Criteria: Risk Management", 2, new_page=True),
        P("Step 3 asks the company to respond to the risks found in Step 2. The response "
          "shall be proportionate to the risk, and it shall aim at measurable improvement "
          "wherever the risk can be reduced."),
        H("5.3.1", "Reporting findings to senior management", 3),
        P("The Due Diligence Lead shall report the findings of every risk assessment "
          "report rated high or critical to senior management within 14 days of the "
          "report's approval. Findings rated low or medium shall be included in the next "
          "regular report to the board under requirement 5.1.2."),
        H("5.3.2", "Risk management plan", 3),
        P("For every supply with a risk rated medium or higher, the company shall adopt a "
          "written risk management plan. The plan shall state which of three strategies "
          "the company has chosen: to continue trading while mitigation takes place, to "
          "suspend trading temporarily while mitigation takes place, or to disengage from "
          "the supplier. Disengagement is required for the serious abuses in requirement "
          "5.2.6 and may be chosen for other risks where mitigation has failed or is not "
          "possible."),
        P("Where the company continues or suspends trading, the plan shall name the "
          "measures to be taken, the person responsible for each measure, the indicators "
          "that will show improvement and the deadline for each measure. The plan shall be "
          "adopted within the time set for the risk level in the table in requirement "
          "5.3.3, and it shall be shared with the supplier, which shall be asked to "
          "confirm in writing that it will carry out the measures assigned to it."),
        N("Mitigation measures may include, for example, training for the supplier's "
          "staff, changes to transport routes, independent monitoring at the mine or "
          "support for the formalisation of artisanal miners."),
        H("5.3.3", "Response times by risk level", 3),
        P("The company shall respond to each identified risk within the times shown in "
          "the table below. Times run from the date on which the risk assessment report "
          "was approved. Where a supply carries several risks, the shortest time applies."),
        Table(
            rows=(
                ("Risk level", "First response", "Plan adopted", "Progress review"),
                ("Low", "Within 30 days", "Not required", "Every 12 months"),
                ("Medium", "Within 14 days", "Within 60 days", "Every 6 months"),
                ("High", "Within 7 days", "Within 30 days", "Every 3 months"),
                ("Critical", "Within 48 hours", "Suspend first", "Every month"),
            ),
            widths=(32.0, 40.0, 40.0, 46.0),
        ),
        P("The first response is the first documented action taken by the company, for "
          "example a letter to the supplier, a hold on the next lot or a request for "
          "information. For critical risks the company shall suspend trading before any "
          "plan is adopted; a plan for resuming trade may then be prepared, but trading "
          "shall not restart until requirement 5.2.6 has been met where it applies."),
        H("5.3.4", "Engaging stakeholders", 3),
        P("When preparing and carrying out a risk management plan, the company shall "
          "consult the people affected by the risk. For risks rated high or critical, the "
          "company shall consult at least one local civil society organisation or "
          "community representative that is independent of the supplier. The company "
          "should also seek the views of local or national authorities where this does "
          "not put affected people at risk."),
        P("The company shall share a summary of the plan with the stakeholders it "
          "consulted, in a form and language they can understand, and shall tell them how "
          "they can raise concerns about its progress through the grievance mechanism."),
        N("Stakeholders may be consulted jointly by several companies that share the same "
          "supplier, for example through the Upstream Assessment Pool."),
        H("5.3.5", "Monitoring and disengagement", 3),
        P("The company shall track each risk management plan against its indicators and "
          "deadlines at the intervals shown in the table in requirement 5.3.3. If a "
          "supplier shows no measurable improvement within six months of the plan's "
          "adoption, the company shall suspend trading with that supplier. If there is "
          "still no measurable improvement three months after the suspension, the company "
          "shall disengage."),
        P("A supplier from which the company has disengaged shall not be re-engaged for at "
          "least 12 months. Re-engagement requires a new enhanced review under requirement "
          "5.2.3 and the written approval of senior management. The company shall record "
          "every suspension, disengagement and re-engagement in its red flag register."),
        H("5.3.6", "Supporting improvement at source", 3),
        P("Companies that buy from artisanal and small-scale sources should contribute to "
          "programmes that improve conditions at those sources, such as programmes that "
          "provide safety equipment, remove children from mine sites and send them to "
          "school, or help miners to form cooperatives and obtain licences. Contributions "
          "may be made directly or through the Alliance's ASM Improvement Fund."),
        P("Where a company contributes, it shall report the amount and the programmes "
          "supported in its annual report under requirement 5.5.1. Contributions do not "
          "replace any other requirement of this Code and cannot be used to offset a "
          "non-conformance."),

        H("5.4", "Step 4 Criteria: Independent Third-Party Audit", 2, new_page=True),
        P("Step 4 checks that the company's due diligence meets this Code. The audit is "
          "carried out by an independent audit firm approved by the Alliance, and its "
          "result decides the company's conformance status."),
        P("The audit looks at how the due diligence system works in practice, not only "
          "at whether the required documents exist. Auditors therefore combine the review "
          "of records with interviews and with the tracing of real transactions, and they "
          "grade a requirement as met only when they have seen evidence that it is applied "
          "throughout the period under review."),
        H("5.4.1", "Audit cycle", 3),
        P("A company that joins the Alliance shall complete its first audit within 18 "
          "months of the date on which its membership starts. After that, a full audit "
          "shall take place every three years. In each of the two years between full "
          "audits, the company shall undergo a surveillance review, which is a desk-based "
          "review of its records and of the progress made on earlier findings."),
        P("The auditor may turn a surveillance review into a full audit if the desk review "
          "shows that the due diligence system may no longer be working, for example "
          "because of a change of ownership, a serious grievance or a large new source of "
          "supply."),
        N("A company that changes its audit firm shall give the new firm the reports of "
          "the previous full audit and of every surveillance review since then."),
        H("5.4.2", "Independence and competence of auditors", 3),
        P("Audits shall be carried out by audit firms on the Alliance's list of approved "
          "auditors. Neither the audit firm nor any member of the audit team shall have "
          "provided consultancy, training or other paid services to the company in the 24 "
          "months before the audit. The same lead auditor shall not lead more than two "
          "consecutive full audits of the same company."),
        P("The lead auditor shall hold a current qualification recognised by the Alliance "
          "and shall have taken part in at least four supply chain due diligence audits in "
          "the past three years. The audit team as a whole shall include knowledge of "
          "cobalt processing and of the languages needed to read the company's records."),
        H("5.4.3", "Audit scope and access", 3),
        P("A full audit shall include at least two days on site at the refinery, or one "
          "day for companies using the simplified format under section 3.1. The audit "
          "shall cover every requirement of this Code and shall test a sample of "
          "transactions from the 12 months before the audit."),
        P("During the audit the auditor shall, as a minimum:"),
        _lettered(
            "trace a sample of lots from purchase to production through the chain of "
            "custody records;",
            "check the red flag register against the supplier files and the supply chain "
            "maps;",
            "read at least three risk assessment reports in full, including every report "
            "on a risk rated critical;",
            "interview the Due Diligence Lead, staff in purchasing and receiving, and at "
            "least one member of senior management;",
            "review the grievance log and the handling of a sample of complaints.",
        ),
        P("The company shall give the auditor access to all records, facilities and staff "
          "needed for the audit. The auditor shall be able to interview staff in private. "
          "Refusing access to a record or a person without a legal reason shall be graded "
          "as a major non-conformance against the requirement concerned."),
        H("5.4.4", "Corrective actions", 3),
        P("For every non-conformance found by the auditor, the company shall submit a "
          "corrective action plan within 30 days of receiving the audit report. The plan "
          "shall address the cause of the non-conformance, not only the symptom."),
        P("A major non-conformance shall be corrected within 90 days of the audit report, "
          "and the auditor shall confirm the correction, either remotely or through a "
          "follow-up visit. A minor non-conformance shall be corrected before the next "
          "surveillance review. If a major non-conformance remains open after 90 days, the "
          "company's conformance status shall be suspended until the auditor confirms that "
          "it has been corrected."),
        N("Corrective action plans may be submitted in the company's own template, but "
          "they shall name, for each non-conformance, the cause found, the action chosen, "
          "the person responsible and the date by which the action will be complete."),
        H("5.4.5", "Conformance status", 3),
        P("A company with no open major non-conformance after its full audit is listed on "
          "the Alliance website as Conformant. The listing shows the date of the last full "
          "audit and the date by which the next full audit is due. A Conformant status is "
          "valid for three years from the date of the full audit, provided that the "
          "surveillance reviews in between are completed."),
        P("A company whose status has been suspended is listed as Suspended, together with "
          "the date of suspension. A company that does not complete a full audit on time "
          "is removed from the list, and it shall not refer to the Code in public until it "
          "has been audited again."),
        H("5.4.6", "Public audit summary", 3),
        P("For every full audit, the auditor shall prepare a public summary that states "
          "the scope of the audit, the dates, the name of the audit firm, the number of "
          "non-conformances found in each step and the company's conformance status. The "
          "Alliance publishes the summary on its website within two months of receiving "
          "the final audit report. The summary shall not contain commercially confidential "
          "information or the names of individual suppliers."),

        H("5.4.7", "Appeals", 3),
        P("A company that disagrees with the grading of a finding shall first raise the "
          "matter with the audit firm. If the disagreement is not resolved, the company may "
          "appeal to the Alliance Appeals Committee within 30 days of receiving the final "
          "audit report. The appeal shall be in writing and shall set out the finding "
          "concerned, the reasons for the appeal and the evidence relied on."),
        P("The Appeals Committee has three members who have had no part in the audit. It "
          "shall decide within 60 days of receiving the appeal, and its decision is final. "
          "While an appeal is pending, the company's conformance status does not change, "
          "except that a status that has already been suspended remains suspended."),
        P("Stakeholders who have concerns about the conduct of an auditor, rather than "
          "about the result of an audit, may complain to the Alliance secretariat. "
          "Complaints about auditors are reviewed by the secretariat and may lead to the "
          "auditor being removed from the list of approved auditors."),

        H("5.5", "Step 5 Criteria: Reporting", 2, new_page=True),
        P("Step 5 asks the company to account publicly for its due diligence, so that "
          "buyers, investors and affected communities can judge it for themselves."),
        H("5.5.1", "Annual due diligence report", 3),
        P("The company shall publish a due diligence report every year, within four "
          "months of the end of its financial year. The report shall be signed off by "
          "senior management and shall describe at least:"),
        _lettered(
            "the supply chain policy and the management structure for due diligence;",
            "the countries of origin of the mined material bought during the year, grouped "
            "by the risk categories used by the company;",
            "the number of red flags identified, by category, and how many were closed;",
            "the main risks found and the steps taken to manage them, including any "
            "suspensions or disengagements;",
            "the date and outcome of the most recent audit and the status of any corrective "
            "actions;",
            "the share of recycled material in the company's total cobalt input.",
        ),
        P("The report may leave out information that is commercially confidential or "
          "that could put people at risk, but it shall say what has been left out and "
          "why."),
        N("Companies that publish a sustainability report may include the due diligence "
          "report as a clearly marked chapter of it, provided that the chapter can be "
          "found and read on its own."),
        H("5.5.2", "Data reporting to the Alliance", 3),
        P("By 31 March each year, the company shall send the Alliance a confidential "
          "data return for the previous calendar year. The return shall state the volume "
          "of cobalt bought by country of origin and by material type, the share of input "
          "covered by a current risk assessment, and the number of red flags, suspensions "
          "and disengagements. The Alliance shall use the data only in aggregated form and "
          "shall not publish figures that identify a single company."),
        H("5.5.3", "Public availability of reports", 3),
        P("Each annual report shall remain available on the company's website for at "
          "least five years after publication. Where the company stops publishing a "
          "website, it shall send its reports to the Alliance, which will publish them on "
          "the company's behalf."),
        H("5.5.4", "Answering customer requests", 3),
        P("The company shall answer reasonable requests for information about its due "
          "diligence from its direct customers within 30 days. It may refer customers to "
          "its annual report and its public audit summary, and it may ask them to sign a "
          "confidentiality agreement before it shares supplier names or other sensitive "
          "information."),

        # ------------------------------------------------------------ 6
        H("6", "Glossary", 1),
        P("The following terms have the meanings given below wherever they are used in "
          "this Code."),
        Terms((
            ("Alliance", "The Alliance for Responsible Cobalt Refining, the fictional "
                         "multi-stakeholder body that owns and publishes this Code."),
            ("Artisanal and small-scale mining", "Mining carried out by individuals, "
             "families or small groups with little mechanisation, often without a formal "
             "licence, also called ASM."),
            ("Chain of custody", "The documented sequence of companies and places that "
             "held a lot of material, from the mine or recycler to the refinery."),
            ("Cobalt hydroxide", "An intermediate product made near the mine by "
             "precipitating cobalt from leach solutions, usually traded with a cobalt "
             "content of 20 to 40 percent."),
            ("Conflict-affected or high-risk area", "An area marked by armed conflict, "
             "widespread violence, collapse of civil order or serious and widespread "
             "abuse of human rights."),
            ("Disengagement", "Ending purchases from a supplier, either for good or until "
             "the conditions for re-engagement in requirement 5.3.5 are met."),
            ("Due Diligence Lead", "The person appointed under requirement 5.1.2 to run "
             "the due diligence system day to day."),
            ("Enhanced review", "The closer examination of a red-flagged supply required "
             "by requirement 5.2.3, including an on-the-ground assessment."),
            ("Lot", "A quantity of material delivered under one shipping document and "
             "sampled and weighed as a single unit at the refinery."),
            ("Recycled material", "Scrap from the manufacture of cobalt-containing "
             "products, or from such products at the end of their life, that meets the "
             "conditions in section 3.2."),
            ("Red flag", "A fact or circumstance, listed as an indicator in Annex I, "
             "that signals a possible risk of serious harm and calls for a closer look."),
            ("Senior management", "The chief executive and the managers who report "
             "directly to the chief executive, or the equivalent leadership of a "
             "company."),
            ("Upstream", "The part of the supply chain from the mine up to and including "
             "the refinery."),
        )),

        # ------------------------------------------------------------ 7
        H("7", "Revision history", 1),
        P("The table below lists the versions of the Code published so far. Earlier "
          "versions are withdrawn and are no longer used for audits."),
        Table(
            rows=(
                ("Version", "Date", "Main changes"),
                ("1.0", "May 2017", "First edition, refiners only"),
                ("1.1", "November 2018", "Grievance mechanism added"),
                ("2.0", "April 2020", "Five-step structure adopted"),
                ("2.2", "September 2022", "Shorter red flag register deadline"),
                ("3.0", "March 2025", "Hydroxide traders, recycled rules"),
            ),
            widths=(24.0, 38.0, 96.0),
        ),
        P("The main changes made in Version 3.0, compared with Version 2.2, are the "
          "following:"),
        _lettered(
            "traders of cobalt hydroxide and other intermediates above 2,000 tonnes a year "
            "are now in scope (section 3.1);",
            "recycled material is defined, and the verification rules in Annex II are new "
            "(section 3.2 and Annex II);",
            "supply chains shall now be mapped back to the mine, not only to the first "
            "exporter (requirement 5.2.2);",
            "additional measures for artisanal and small-scale sources have been added "
            "(requirement 5.2.7);",
            "fixed response times for each risk level replace the general duty to respond "
            "without undue delay (requirement 5.3.3);",
            "the audit cycle has changed from a full audit every two years to a full audit "
            "every three years with yearly surveillance reviews (requirement 5.4.1);",
            "an appeals procedure has been introduced (requirement 5.4.7).",
        ),
        P("Version 3.0 was approved by the Alliance Board on 14 March 2025 after two "
          "rounds of public consultation that received 61 written submissions. It takes "
          "effect on 1 July 2025. The next full revision of the Code is scheduled to start "
          "in 2028. Comments on the Code may be sent to the Alliance secretariat at any "
          "time and will be considered in that revision."),
        P("Minor corrections that do not change any requirement, such as fixing "
          "references or typing errors, may be published as editorial updates without "
          "public consultation. Editorial updates are numbered 3.0.1, 3.0.2 and so on and "
          "are listed on the Alliance website."),

        # ------------------------------------------------------------ Annex I
        H("Annex I", "Red Flag Indicators", 1, sep=": "),
        P("This annex lists the indicators referred to in requirement 5.2.1. A supply is "
          "red-flagged when any one indicator is met. The indicators are minimum triggers; "
          "a company may add its own indicators to reflect the risks of its supply chain."),
        H("1", "Location red flags", 3, toc=False),
        P("A location red flag is met when:"),
        _lettered(
            "the material is mined in, or transported through, an area that the company "
            "has identified as conflict-affected or high-risk, or that appears in the "
            "Regional Risk Reference;",
            "the material is said to come from a country whose known cobalt reserves or "
            "expected production do not plausibly explain the volumes offered;",
            "the material is said to come from, or has passed through, a country known to "
            "be used as a transit route for cobalt from conflict-affected areas.",
        ),
        N(label="Example", text="Material declared as originating in a country with no recorded cobalt "
          "mining, but shipped from the river port of Sendai-Koru, meets both the first "
          "and the second location red flag."),
        H("2", "Supplier red flags", 3, toc=False),
        P("A supplier red flag is met when:"),
        _lettered(
            "the supplier, or a person who owns or controls it, is based in an area covered "
            "by a location red flag;",
            "the supplier does not disclose who owns or controls it, or refuses to name its "
            "sources;",
            "the supplier, its owners or its managers have been named in a credible report "
            "as being linked to a serious abuse listed in requirement 5.2.6;",
            "the supplier refuses to accept the supply chain policy, or refuses access for "
            "an on-the-ground assessment.",
        ),
        N(label="Example", text="A newly formed trading company offers regular monthly deliveries but "
          "lists only a nominee director as its owner. Until the real owners are known, "
          "the second supplier red flag is met."),
        H("3", "Circumstance red flags", 3, toc=False),
        P("A circumstance red flag is met when:"),
        _lettered(
            "the documents for a lot are missing, inconsistent or appear to have been "
            "altered, for example weights or cobalt grades that change between documents;",
            "payment is requested in cash for amounts above USD 10,000 per lot, or to a "
            "bank account in a country that is not linked to the supplier or the "
            "material.",
        ),
        N(label="Example", text="A trader offers cobalt hydroxide said to come from a large mine, but "
          "the weights on the export permit and on the warehouse receipt differ by several "
          "tonnes. This meets the first circumstance red flag, even though the mine itself "
          "may not be in a conflict-affected area."),
        H("4", "Red flag register", 3, toc=False),
        P("The red flag register required by requirement 5.2.1 may be kept as a "
          "spreadsheet or in a database. It shall contain at least the fields shown "
          "below for each red flag."),
        Table(
            rows=(
                ("Field", "What to record"),
                ("Supply", "Supplier, material and contract reference"),
                ("Indicator", "Annex I category and item, e.g. supplier b)"),
                ("Source", "Where the information came from"),
                ("Date entered", "Date the red flag was entered"),
                ("Action", "Enhanced review, hold, suspension or other"),
                ("Closed by", "Name of the Due Diligence Lead and date"),
            ),
            widths=(35.0, 123.0),
        ),
        H("5", "Using the indicators", 3, toc=False),
        P("Indicators shall be checked using information that is reasonably available, "
          "including supplier documents, the company's own records, media and civil "
          "society reports and the Regional Risk Reference. The company is not expected "
          "to prove that an indicator is not met before buying, but it shall record which "
          "sources it checked and when."),
        P("The same supply may meet several indicators at once. In that case every "
          "indicator met shall be recorded in the red flag register, and the enhanced "
          "review shall address each of them."),

        # ------------------------------------------------------------ Annex II
        H("Annex II", "Recycled Material Verification", 1, sep=": "),
        P("This annex sets out how a company checks that material sold to it as recycled "
          "really is recycled. It applies to all recycled material covered by section 3.2, "
          "including companies whose whole input is recycled."),
        H("1", "Supplier declaration", 3, toc=False),
        P("Every delivery of recycled material shall be covered by a written declaration "
          "from the supplier. The declaration shall state:"),
        _lettered(
            "the type of scrap, for example production offcuts, spent batteries or used "
            "hard-metal tools;",
            "the place where the scrap was generated or collected;",
            "the estimated cobalt content and the gross weight;",
            "that the material has not been mixed with mined material.",
        ),
        P("A new supplier of recycled material shall also provide a short description of "
          "its collection and processing operations, with photographs, before the first "
          "delivery."),
        H("2", "Verification sampling", 3, toc=False),
        P("The company shall check the declarations against the material it actually "
          "receives. Each year it shall physically inspect and assay at least 5 percent of "
          "the recycled lots it receives, with a minimum of three lots for each supplier of "
          "recycled material. Lots shall be chosen at random, and at least one lot per "
          "supplier shall be inspected without prior notice to the supplier."),
        H("3", "Signs that material may not be recycled", 3, toc=False),
        P("The following signs call a recycled declaration into question and shall "
          "trigger a review of the supplier by the Due Diligence Lead:"),
        _lettered(
            "a cobalt content or chemical make-up typical of hydroxide or concentrate "
            "rather than of the declared scrap;",
            "no traces of previous use or manufacture, such as casings, coatings or binder "
            "residues;",
            "volumes that are larger than the supplier's described collection operations "
            "could produce;",
            "a route that passes through an area covered by a location red flag in "
            "Annex I.",
        ),
        P("Until the review is complete, the lot concerned shall be treated as mined "
          "material, as section 3.2 requires."),
        H("4", "Spent batteries and black mass", 3, toc=False),
        P("Spent batteries are often shredded and separated into a powder of mixed "
          "metals, known as black mass, before they reach a refinery. Because black mass "
          "can be hard to tell apart from some mined intermediates, the company shall ask "
          "each supplier of black mass for the permits that allow it to collect or treat "
          "waste batteries, and for a description of the battery types it processes."),
        P("The company shall compare the nickel, manganese, lithium and cobalt ratios of "
          "each black mass lot with the ratios expected from the declared battery types. "
          "A lot whose ratios do not match shall be held until the Due Diligence Lead has "
          "reviewed it."),
        H("5", "Records", 3, toc=False),
        P("Declarations, inspection results and assay certificates for recycled material "
          "shall be kept with the chain of custody records for each lot and retained for "
          "the period set in requirement 5.1.7. The share of recycled material in total "
          "input shall be reported each year under requirement 5.5.1."),
    ]


# ==========================================================================
# Content: Smelter Audit Guidance, rev. 2 (2024)
# ==========================================================================

@dataclass(frozen=True)
class Article:
    number: int
    title: str
    paragraphs: tuple[Union[str, tuple[str, tuple[tuple[str, str], ...]]], ...]
    table_after: int | None = None   # index of the paragraph after which the table goes
    table: Table | None = None


GUIDANCE_INTRO = (
    "This Guidance is issued by the Northbridge Metals Assurance Network (the Network) for "
    "audit firms that assess smelters and refiners against responsible sourcing "
    "programmes. It explains how an audit is planned, carried out and reported. Revision 2 "
    "replaces the first revision of 2021 and applies to every audit whose opening meeting "
    "takes place on or after 1 January 2025. The Network, its members and all places named "
    "in this Guidance are fictional."
)

GUIDANCE_BACKGROUND = (
    "Smelters and refiners are the points in metal supply chains where material from many "
    "mines, traders and recyclers is combined and transformed. Once metal has been refined "
    "its origin can no longer be seen, so the due diligence carried out by smelters, and the "
    "audits that check it, carry much of the weight of responsible sourcing for the whole "
    "chain.",
    "Experience with the first revision showed that audits of similar smelters could reach "
    "different conclusions because audit teams planned them differently, sampled different "
    "numbers of transactions and graded similar gaps in different ways. This revision aims "
    "to make audits more consistent by setting minimum sample sizes, typical durations and "
    "common grading rules, while leaving each audit programme free to set its own "
    "requirements for auditees.",
    "The Guidance is organised in twelve Articles that follow the order of an audit, from "
    "the qualifications of the auditors to the keeping of records after the final report. "
    "Each Article is divided into numbered paragraphs. Terms with a special meaning are "
    "defined in the Definitions section below and are used with that meaning throughout.",
)

GUIDANCE_CLOSING = (
    "This revision of the Smelter Audit Guidance was adopted by the Technical Committee of "
    "the Northbridge Metals Assurance Network on 2 September 2024 and issued on 9 September "
    "2024. It enters into force on 1 January 2025. Audits whose opening meeting took place "
    "before that date may be completed under the first revision.",
    "Audit firms are asked to send the Network their experience of applying this revision, "
    "including any difficulty in meeting the sample sizes or durations it sets, so that it "
    "can be taken into account in the next review.",
)

GUIDANCE_DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("Audit programme", "the responsible sourcing standard or code against which a smelter "
     "is audited, together with the rules of the body that owns it."),
    ("Auditee", "the smelter or refiner being audited, including every site covered by "
     "the audit."),
    ("Audit team leader", "the auditor who manages the audit team, leads the opening and "
     "closing meetings and signs the audit report."),
    ("Desk review", "the part of an audit carried out away from the site, based on "
     "documents sent by the auditee."),
    ("Finding", "a conclusion of the audit team, supported by evidence, about whether a "
     "requirement of the audit programme is met."),
    ("Major non-conformity", "a finding that a requirement is not met in a way that "
     "stops the due diligence system from achieving its purpose."),
    ("Minor non-conformity", "a finding that a requirement is only partly met, without "
     "stopping the due diligence system from working."),
    ("Observation", "a note on a practice that meets the requirement but could become a "
     "non-conformity if it is not improved."),
    ("Sampling period", "the period of time from which the transactions examined during "
     "the audit are drawn."),
    ("Technical expert", "a person who gives the audit team specialist knowledge, for "
     "example on metallurgy or a local language, but who does not grade findings."),
)


def guidance_articles() -> list[Article]:
    A = Article
    return [
        A(1, "Purpose and status", (
            "This Guidance describes good practice for the audit of smelters and refiners "
            "under responsible sourcing audit programmes. It is intended for audit firms, "
            "individual auditors and the bodies that own audit programmes.",
            "The Guidance does not add requirements for auditees. Where an audit programme "
            "sets a rule that differs from this Guidance, the rule of the audit programme "
            "applies, and the audit team shall note the difference in the audit report.",
            "Audit firms that are accredited by the Network shall follow this Guidance in "
            "every audit they carry out under a programme that has adopted it. Other audit "
            "firms may use it voluntarily.",
            "Compared with the first revision, this revision raises the minimum sample "
            "sizes in Article 9, requires part of the interviews to be held without "
            "managers present, sets fixed deadlines for the audit report and adds rules on "
            "the handling of personal data.",
            "The Network reviews this Guidance at least every four years, and earlier where "
            "an audit programme that has adopted it changes its requirements. Proposals for "
            "changes may be sent to the Network's technical committee at any time.",
        )),
        A(2, "Scope of application", (
            "This Guidance applies to audits of facilities that smelt or refine metal "
            "from ores, concentrates, intermediates or recycled material, whatever the "
            "metal concerned. It covers initial audits, re-audits and follow-up audits.",
            "It does not apply to audits of mines, traders without processing facilities "
            "or manufacturers of finished products. Audit programmes that cover those "
            "companies may refer to this Guidance for general audit practice.",
            "Where one audit covers several sites of the same auditee, each site shall be "
            "visited, and the audit report shall show the findings for each site "
            "separately.",
            "Remote audits, in which no member of the audit team visits the site, are not "
            "permitted for initial audits or re-audits. They may be used for follow-up "
            "audits whose only purpose is to check the correction of findings that can be "
            "verified from documents.",
            "Where a follow-up audit concerns a finding that can only be checked on site, "
            "such as the physical separation of material in quarantine, the follow-up "
            "audit shall include a site visit.",
        )),
        A(3, "Auditor qualifications", (
            "An audit team leader shall have completed at least five supply chain due "
            "diligence audits as a team member, at least two of them at smelters or "
            "refiners, before leading an audit.",
            "Every auditor shall complete the Network's auditor course and pass its "
            "examination, and shall then take at least 16 hours of continuing training "
            "each year. An auditor who misses the continuing training for two years in a "
            "row shall repeat the examination.",
            "An audit team shall include, or be supported by, a technical expert where "
            "none of its members understands the metallurgical process used by the "
            "auditee. The technical expert shall sign the same confidentiality and "
            "independence declarations as the auditors.",
            "No member of the audit team shall have worked for the auditee, or provided it "
            "with paid services other than audits, in the three years before the audit.",
            "Interpreters used during the audit shall be engaged by the audit firm and shall "
            "not be employees of the auditee or of its suppliers. The audit report shall "
            "state which interviews were held through an interpreter.",
            "The audit firm shall keep a record of the qualifications, audits and training "
            "of each auditor and shall show it to the owner of the audit programme on "
            "request.",
        )),
        A(4, "Audit planning", (
            "The audit team leader shall agree the audit dates with the auditee at least "
            "six weeks before the on-site audit. The dates shall avoid periods of planned "
            "shutdown, so that the audit team can see the plant in normal operation.",
            ("The audit plan shall be sent to the auditee at least ten working days before "
             "the on-site audit. It shall set out:", (
                ("(a)", "the objectives and scope of the audit and the audit programme "
                        "used;"),
                ("(b)", "the names and roles of the audit team members, including any "
                        "technical expert or interpreter;"),
                ("(c)", "the schedule of meetings, interviews and site visits;"),
                ("(d)", "the sampling period and the sample sizes to be used."),
            )),
            "The sampling period shall normally be the twelve months before the month in "
            "which the on-site audit starts. For an initial audit of an auditee with a "
            "shorter operating history, the sampling period shall cover at least six "
            "months of operation.",
            "The audit team leader shall carry out a risk review of the auditee before "
            "finalising the plan, using public information, the results of earlier audits "
            "and any grievances known to the audit programme. The plan shall give more time "
            "to areas of higher risk.",
            "Before the desk review, the auditee shall complete the pre-audit "
            "questionnaire of the audit programme. The questionnaire describes the "
            "auditee's operations, its input materials, its main suppliers by country and "
            "any changes since the last audit, and it helps the audit team leader to decide "
            "the size of the audit team.",
        )),
        A(5, "Audit stages and durations", (
            "An audit passes through the stages shown in the table below. The durations "
            "are typical values for an auditee with one site; the audit team leader may "
            "adjust them, with reasons, to the size and complexity of the auditee.",
            "For an auditee with more than one site, the on-site audit shall last at least "
            "one additional day for each additional site. Where travel between sites takes "
            "more than four hours, travel time shall not be counted as audit time.",
            "If the auditee does not send the documents requested for the desk review at "
            "least two weeks before the on-site audit, the audit team leader may postpone "
            "the audit. Two postponements for this reason shall be reported to the owner "
            "of the audit programme.",
            "A follow-up audit normally lasts one day on site, or half a day where it is "
            "carried out remotely under Article 2. A re-audit follows the same stages and "
            "durations as an initial audit, but the desk review may be shortened to two "
            "working days where the previous audit found no major non-conformity.",
        ), table_after=0, table=Table(
            rows=(
                ("Audit stage", "Typical duration"),
                ("Document request to auditee", "6 weeks before on-site audit"),
                ("Desk review", "3 working days"),
                ("On-site audit (one site)", "2 days"),
                ("Closing meeting", "Last day on site"),
                ("Draft report to auditee", "Within 15 working days"),
                ("Auditee comments", "10 working days"),
                ("Final report issued", "Within 5 working days of comments"),
            ),
            widths=(70.0, 80.0),
        )),
        A(6, "Opening meeting", (
            "Every on-site audit shall begin with an opening meeting attended by the audit "
            "team and by the auditee's senior manager responsible for due diligence, or a "
            "deputy with the authority to grant access to records and staff.",
            "At the opening meeting the audit team leader shall confirm the scope, the "
            "plan and the sampling period, explain how findings will be graded and "
            "reported, and agree the arrangements for confidential interviews.",
            "The audit team leader shall ask the auditee to name a contact person who will "
            "remain available to the audit team throughout the audit. An attendance list "
            "of the opening meeting shall be kept with the audit records.",
            "If the senior manager responsible for due diligence is not available and no "
            "deputy with sufficient authority has been named, the audit team leader may "
            "postpone the start of the audit by up to one day. If the situation is not "
            "resolved within that day, the audit shall be stopped and rescheduled.",
        )),
        A(7, "Document review", (
            "The audit team shall review the auditee's policies, procedures and records "
            "against each requirement of the audit programme. Documents shall be reviewed "
            "in the version that was in force during the sampling period.",
            "Where a procedure exists on paper but staff cannot describe how they apply "
            "it, the audit team shall treat the requirement as not effectively implemented, "
            "even if the document itself is complete.",
            "Records in a language that no audit team member reads shall be translated by "
            "a translator chosen by the audit team, not by the auditee. The cost of "
            "translation is borne by the auditee.",
            ("The documents reviewed shall include at least:", (
                ("(a)", "the auditee's supply chain policy and due diligence procedures;"),
                ("(b)", "the list of suppliers active in the sampling period;"),
                ("(c)", "the risk assessments and risk management plans for higher-risk "
                        "suppliers;"),
                ("(d)", "the training records of staff with due diligence duties;"),
                ("(e)", "the reports of internal reviews and of the previous audit."),
            )),
            "Where a document requested for the desk review is not provided, the audit "
            "team shall record the request, the date and the reason given, and shall take "
            "the missing document into account when it grades the related finding.",
        )),
        A(8, "Site inspection and interviews", (
            "The audit team shall walk through the receiving area, the sampling and assay "
            "laboratory, the raw material stores and the areas where material is held in "
            "quarantine, and shall check that the physical handling of material matches "
            "the auditee's procedures.",
            "The audit team shall interview staff from purchasing, logistics, the "
            "laboratory and the team responsible for due diligence. At least one third of "
            "the interviews shall be held without any manager of the interviewee present.",
            "Where the audit programme requires it, the audit team shall also interview "
            "external stakeholders, such as civil society organisations or community "
            "representatives, in a place and manner chosen to protect them.",
            "Interview notes shall record the role of the person interviewed but not their "
            "name, unless the person has agreed to be named.",
            "Before the site inspection, every member of the audit team shall attend the "
            "auditee's safety induction and shall wear the protective equipment required in "
            "each area. An area that cannot be entered safely shall not be inspected, and "
            "the audit report shall note this.",
            "Photographs may be taken during the site inspection only with the permission "
            "of the auditee. Photographs shall not show the faces of workers, and they "
            "shall be kept with the working papers under Article 12.",
        )),
        A(9, "Sampling of transactions", (
            "The audit team shall test a sample of material receipts from the sampling "
            "period and trace each sampled receipt from the purchase contract to the "
            "production records.",
            ("The minimum sample shall be:", (
                ("(a)", "for auditees with fewer than 100 receipts in the sampling period, "
                        "all receipts up to 25, and otherwise 25 receipts;"),
                ("(b)", "for auditees with 100 to 1,000 receipts, 40 receipts;"),
                ("(c)", "for auditees with more than 1,000 receipts, 60 receipts, of which "
                        "at least one half shall come from suppliers identified as higher "
                        "risk."),
            )),
            "The audit team shall choose the sample itself. It shall not accept a sample "
            "selected or prepared by the auditee, and it shall include receipts from every "
            "type of input material handled during the sampling period.",
            "Where the audit team finds an error in more than 10 percent of the sampled "
            "receipts, it shall double the sample for the requirement concerned before it "
            "grades the finding.",
            "For each sampled receipt, the audit team shall check that the weight and "
            "metal content recorded at receipt match the supplier documents and the "
            "laboratory results, and that the supplier was approved under the auditee's "
            "procedures at the date of the receipt.",
        )),
        A(10, "Findings and grading", (
            "Each finding shall be graded as a major non-conformity, a minor "
            "non-conformity or an observation, using the definitions at the start of this "
            "Guidance. The grading shall be supported by evidence recorded in the audit "
            "working papers.",
            "Several minor non-conformities against the same requirement may together be "
            "graded as a major non-conformity where their combined effect stops the due "
            "diligence system from achieving its purpose.",
            ("The following are examples of findings that shall normally be graded as a "
             "major non-conformity:", (
                ("(a)", "the auditee has no risk assessment for a supplier that the audit "
                        "programme treats as higher risk;"),
                ("(b)", "material was bought from a supplier after the auditee's own "
                        "procedures required purchases to be suspended;"),
                ("(c)", "the auditee refused the audit team access to a record, an area "
                        "or a member of staff without a legal reason."),
            )),
            "All findings shall be presented to the auditee at the closing meeting. The "
            "auditee may comment on the findings, and any disagreement that cannot be "
            "resolved at the meeting shall be recorded in the audit report together with "
            "the auditee's view.",
            "The auditee shall send a corrective action plan for each major "
            "non-conformity within 20 working days of the closing meeting. The audit team "
            "leader shall review the plan and state in the final report whether it is "
            "adequate.",
            "Each major non-conformity shall be verified as corrected through a follow-up "
            "audit held within 90 calendar days of the closing meeting. A minor "
            "non-conformity shall be verified at the next scheduled audit, and an "
            "observation does not require any corrective action.",
            "If a major non-conformity is found not to have been corrected at the follow-up "
            "audit, the audit team leader shall inform the owner of the audit programme "
            "within five working days.",
        )),
        A(11, "Audit report", (
            "The audit report shall state the audit programme, the scope, the dates, the "
            "sampling period, the members of the audit team and the sites visited, and "
            "shall list every finding with its grade and the evidence that supports it.",
            "The draft report shall be sent to the auditee within 15 working days of the "
            "closing meeting. The auditee may comment on factual errors within 10 working "
            "days, and the audit team leader shall issue the final report within 5 working "
            "days of receiving the comments.",
            "The final report shall be signed by the audit team leader and reviewed, "
            "before it is issued, by a reviewer of the audit firm who did not take part in "
            "the audit.",
            "Where the audit team could not complete part of the audit plan, for example "
            "because an area could not be entered safely or a document was not provided, "
            "the audit report shall say which parts were not completed, why, and how this "
            "affects the conclusions of the audit.",
            "Where the audit programme publishes audit summaries, the summary shall be "
            "prepared by the audit team leader and shall not contain information that the "
            "auditee has shown to be commercially confidential.",
            "The audit report shall be written in English. At the request of the auditee, "
            "the audit firm shall also provide a translation into the official language of "
            "the country where the site is located, but the English version prevails.",
        )),
        A(12, "Confidentiality and record retention", (
            "The audit firm and every member of the audit team shall keep confidential all "
            "information obtained during the audit, except where the audit programme "
            "requires disclosure or where the law requires it.",
            "The audit firm shall keep the audit report, the working papers and the "
            "evidence gathered for at least seven years after the final report is issued, "
            "and shall make them available to the owner of the audit programme on request.",
            "Personal data collected during interviews shall be stored separately from the "
            "working papers, shall be accessible only to the audit team and shall be "
            "deleted once the final report has been accepted by the owner of the audit "
            "programme, unless a grievance or appeal is pending.",
            "An auditee that disagrees with the way an audit was conducted may complain to "
            "the audit firm within 30 days of receiving the final report. If the complaint "
            "is not resolved, the auditee may refer it to the Network, which shall decide "
            "within 45 days.",
            "Information received in confidence from workers or external stakeholders "
            "shall never be passed to the auditee in a form that could identify the source, "
            "even where the auditee asks for it in order to answer a finding.",
        )),
    ]


# ==========================================================================
# Rendering helpers
# ==========================================================================

def _check_text(text: str, encoding: str, what: str) -> None:
    try:
        text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise ValueError(f"{what} contains characters outside {encoding}: {text!r}") from exc


class _CodePdf(FPDF):
    """The Code: running header (title + version) and "Page N" footer on every page."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(26.0, 22.0, 26.0)
        self.set_auto_page_break(auto=True, margin=24.0)
        self.set_creation_date(_FIXED_DATE)

    def header(self) -> None:
        self.set_y(10)
        self.set_font("Helvetica", "I", 8.5)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{COBALT_TITLE} - Version {COBALT_VERSION}", align="L")
        self.set_text_color(0, 0, 0)
        self.set_draw_color(120, 120, 120)
        self.line(self.l_margin, 16, self.w - self.r_margin, 16)
        self.set_y(22)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8.5)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"Page {self.page_no()}", align="C")
        self.set_text_color(0, 0, 0)


_CODE_FONT = "Helvetica"
_CODE_SIZE = 11.0
_CODE_LH = 6.2
_CODE_GAP = 3.2
_HEAD_STYLE = {1: (15.0, 9.0), 2: (12.0, 7.0), 3: (10.5, 6.0)}


def _code_heading(pdf: FPDF, h: Heading) -> int:
    size, height = _HEAD_STYLE[h.level]
    if h.level == 1 or h.new_page:
        pdf.add_page()
    else:
        pdf.ln(3.0 if h.level == 2 else 1.5)
        # keep the heading with at least three body lines
        if pdf.will_page_break(height + 3 * _CODE_LH + 2):
            pdf.add_page()
    pdf.set_font(_CODE_FONT, "B", size)
    pdf.multi_cell(0, height, h.line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    page = pdf.page_no()
    pdf.ln(3.0 if h.level == 1 else 1.0)
    return page


def _code_para(pdf: FPDF, p: Para) -> None:
    pdf.set_font(_CODE_FONT, "", _CODE_SIZE)
    pdf.multi_cell(0, _CODE_LH, p.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(_CODE_GAP)


def _list_items(pdf: FPDF, items: Items, font: str, size: float, lh: float,
                label_w: float, align: str = "L") -> None:
    pdf.set_font(font, "", size)
    left = pdf.l_margin
    for label, text in items.items:
        if pdf.will_page_break(2 * lh):
            pdf.add_page()
        if label.endswith(":"):
            # "Term: text" items: bold term run in at the start of an indented paragraph
            pdf.set_left_margin(left + items.indent)
            pdf.set_x(left + items.indent)
            pdf.multi_cell(0, lh, f"**{label}** {text}", align=align, markdown=True,
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_left_margin(left)
            pdf.set_x(left)
            pdf.ln(0.8)
            continue
        lw = label_w
        pdf.set_x(left + items.indent)
        pdf.cell(lw, lh, label)
        pdf.set_left_margin(left + items.indent + lw)
        pdf.multi_cell(0, lh, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_left_margin(left)
        pdf.set_x(left)
        pdf.ln(0.8)
    pdf.ln(_CODE_GAP - 0.8)


def _table(pdf: FPDF, t: Table, font: str, size: float, row_h: float,
           x: float | None = None, borders: str = "grid") -> None:
    if pdf.will_page_break(row_h * (len(t.rows) + 1)):
        pdf.add_page()
    pdf.ln(1)
    left = pdf.l_margin if x is None else x
    for i, row in enumerate(t.rows):
        pdf.set_x(left)
        if i == 0:
            pdf.set_fill_color(225, 225, 225)
        for w, value in zip(t.widths, row):
            pdf.set_font(font, "B" if i == 0 else "", size)
            if borders == "grid":
                border: Union[int, str] = 1
            else:  # horizontal rules only: looks like two loose columns
                border = "TB" if i == 0 else ("B" if i == len(t.rows) - 1 else 0)
            pdf.cell(w, row_h, value, border=border, fill=(i == 0 and borders == "grid"))
        pdf.ln(row_h)
    pdf.ln(_CODE_GAP + 1.5)


def _render_code(toc_pages: dict[str, int] | None) -> tuple[bytes, dict[str, int], int]:
    """Render the Code. Returns (bytes, heading page per section key, page count).

    Section keys are the printed ids, except annex subsections which are keyed
    "Annex I/1" etc. ``toc_pages`` fills the contents page (None -> placeholder
    numbers of the same width, used for the first layout pass)."""
    blocks = cobalt_blocks()
    pdf = _CodePdf()
    pdf.set_title(COBALT_TITLE)
    pdf.set_author(COBALT_PUBLISHER)
    pdf.set_subject(f"Version {COBALT_VERSION}")
    pdf.set_creator("evals/corpus/build_dev_corpus.py")

    # ---- cover page
    pdf.add_page()
    pdf.set_y(70)
    pdf.set_font(_CODE_FONT, "", 12)
    pdf.cell(0, 8, COBALT_PUBLISHER, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(14)
    pdf.set_font(_CODE_FONT, "B", 24)
    pdf.multi_cell(0, 12, COBALT_TITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font(_CODE_FONT, "", 16)
    pdf.cell(0, 9, f"Version {COBALT_VERSION}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(30)
    pdf.set_font(_CODE_FONT, "", 11)
    for line in ("Effective date: 1 July 2025",
                 "Approved by the Alliance Board on 14 March 2025",
                 "Supersedes Version 2.2 (September 2022)"):
        pdf.cell(0, 7, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(245)
    pdf.set_font(_CODE_FONT, "I", 9)
    pdf.multi_cell(0, 5, "Fictional document prepared for training and testing. All "
                   "organisations, places and figures are invented.", align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # ---- contents page
    pdf.add_page()
    pdf.set_font(_CODE_FONT, "B", 15)
    pdf.cell(0, 10, "Contents", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for b in blocks:
        if not (isinstance(b, Heading) and b.toc and b.level <= 2):
            continue
        num = str(toc_pages[b.section]) if toc_pages else "00"
        indent = 0.0 if b.level == 1 else 8.0
        pdf.set_font(_CODE_FONT, "B" if b.level == 1 else "", 10.5)
        text = b.line
        avail = width - indent - pdf.get_string_width(num) - 2
        dots_w = avail - pdf.get_string_width(text + " ") - 1
        dots = "." * max(3, int(dots_w / pdf.get_string_width(".")))
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(width - indent - pdf.get_string_width(num) - 1, 7.2, f"{text} {dots}")
        pdf.cell(0, 7.2, num, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if b.level == 1:
            pdf.ln(0.8)

    # ---- body
    pages: dict[str, int] = {}
    annex = ""
    for b in blocks:
        if isinstance(b, Heading):
            _check_text(b.line, "latin-1", "heading")
            page = _code_heading(pdf, b)
            if b.section.startswith("Annex"):
                annex = b.section
            key = f"{annex}/{b.section}" if (annex and not b.section.startswith("Annex")) else b.section
            pages[key] = page
        elif isinstance(b, Para):
            _check_text(b.text, "latin-1", "paragraph")
            _code_para(pdf, b)
        elif isinstance(b, Note):
            _check_text(b.text, "latin-1", "note")
            left = pdf.l_margin
            pdf.set_left_margin(left + 8)
            pdf.set_x(left + 8)
            pdf.set_font(_CODE_FONT, "I", 9.5)
            pdf.multi_cell(0, 5.0, f"{b.label}: {b.text}", align="L",
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_left_margin(left)
            pdf.set_x(left)
            pdf.ln(_CODE_GAP)
        elif isinstance(b, Items):
            for label, text in b.items:
                _check_text(label + text, "latin-1", "item")
            _list_items(pdf, b, _CODE_FONT, _CODE_SIZE, _CODE_LH, label_w=6.5)
        elif isinstance(b, Table):
            _table(pdf, b, _CODE_FONT, 10.0, 7.0)
        elif isinstance(b, Terms):
            pdf.set_font(_CODE_FONT, "", _CODE_SIZE)
            for term, definition in b.entries:
                text = f"{term}{b.sep}{definition}"
                _check_text(text, "latin-1", "glossary")
                lines = pdf.multi_cell(0, _CODE_LH, text, dry_run=True, output="LINES")
                if pdf.will_page_break(len(lines) * _CODE_LH):
                    pdf.add_page()
                pdf.multi_cell(0, _CODE_LH, text, align="L",
                               new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.ln(_CODE_GAP)
    return bytes(pdf.output()), pages, pdf.page_no()


def render_cobalt_code() -> tuple[bytes, dict[str, int], int]:
    """Two passes: lay out once to learn the heading pages, then fill the contents."""
    _, pages, n = _render_code(None)
    data, pages2, n2 = _render_code(pages)
    if pages2 != pages or n2 != n:  # the contents page has a fixed size, so this holds
        raise RuntimeError("table of contents changed the layout")
    return data, pages, n


# ---------------------------------------------------------------- guidance

class _GuidancePdf(FPDF):
    """The Guidance: no running header, a bare page number in the footer."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.core_fonts_encoding = "windows-1252"   # en dash in "Term – definition"
        self.set_margins(28.0, 25.0, 28.0)
        self.set_auto_page_break(auto=True, margin=25.0)
        self.set_creation_date(_GUIDANCE_DATE)

    def footer(self) -> None:
        self.set_y(-16)
        self.set_font("Times", "", 10)
        self.cell(0, 6, str(self.page_no()), align="C")


_G_FONT = "Times"
_G_SIZE = 12.0
_G_LH = 6.5
_G_GAP = 3.4


def render_smelter_guidance() -> tuple[bytes, dict[str, int], int]:
    pdf = _GuidancePdf()
    pdf.set_title(f"{GUIDANCE_TITLE} {GUIDANCE_VERSION}")
    pdf.set_author(GUIDANCE_PUBLISHER)
    pdf.set_creator("evals/corpus/build_dev_corpus.py")
    pages: dict[str, int] = {}

    def para(text: str, align: str = "J") -> None:
        _check_text(text, "windows-1252", "paragraph")
        pdf.set_font(_G_FONT, "", _G_SIZE)
        pdf.multi_cell(0, _G_LH, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(_G_GAP)

    # ---- title block on page 1
    pdf.add_page()
    pdf.set_font(_G_FONT, "", 11)
    pdf.cell(0, 6, GUIDANCE_PUBLISHER.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)
    pdf.set_font(_G_FONT, "B", 22)
    pdf.cell(0, 11, GUIDANCE_TITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(_G_FONT, "", 13)
    pdf.cell(0, 7, f"{GUIDANCE_VERSION} (2024)", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_G_FONT, "I", 11)
    pdf.cell(0, 7, "Issued 9 September 2024", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)
    pdf.set_draw_color(0, 0, 0)
    pdf.line(pdf.l_margin + 30, pdf.get_y(), pdf.w - pdf.r_margin - 30, pdf.get_y())
    pdf.ln(8)
    para(GUIDANCE_INTRO)
    for text in GUIDANCE_BACKGROUND:
        para(text)

    # ---- definitions (on their own page, after the introduction)
    pdf.add_page()
    pdf.set_font(_G_FONT, "B", 13)
    pdf.cell(0, 8, "Definitions", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pages["Definitions"] = pdf.page_no()
    pdf.ln(1)
    para("For the purposes of this Guidance, the following terms have the meanings "
         "given below.")
    for term, definition in GUIDANCE_DEFINITIONS:
        text = f"{term} \u2013 {definition}"
        _check_text(text, "windows-1252", "definition")
        pdf.set_font(_G_FONT, "", _G_SIZE)
        lines = pdf.multi_cell(0, _G_LH, text, dry_run=True, output="LINES")
        if pdf.will_page_break(len(lines) * _G_LH):
            pdf.add_page()
        pdf.multi_cell(0, _G_LH, text, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(_G_GAP - 0.6)

    # ---- articles
    for art in guidance_articles():
        pdf.ln(6)
        if pdf.will_page_break(7 + 7 + 4 * _G_LH):
            pdf.add_page()
        pdf.set_font(_G_FONT, "B", 12.5)
        pdf.cell(0, 7, f"Article {art.number}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pages[f"Article {art.number}"] = pdf.page_no()
        pdf.set_font(_G_FONT, "BI", 12.5)
        pdf.cell(0, 7, art.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)
        for i, p in enumerate(art.paragraphs, start=1):
            text, subs = (p, ()) if isinstance(p, str) else p
            _list_items(pdf, Items(((f"{i}.", text),), indent=0.0), _G_FONT, _G_SIZE,
                        _G_LH, label_w=8.0, align="J")
            if subs:
                _list_items(pdf, Items(subs, indent=8.0), _G_FONT, _G_SIZE, _G_LH,
                            label_w=9.0, align="J")
            if art.table is not None and art.table_after == i - 1:
                pdf.set_font(_G_FONT, "I", 11)
                pdf.cell(0, 6, "Table 1 \u2013 Audit stages and typical durations",
                         align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                x = (pdf.w - sum(art.table.widths)) / 2
                _table(pdf, art.table, _G_FONT, 11.5, 7.5, x=x, borders="rules")

    # ---- closing block
    pdf.ln(10)
    if pdf.will_page_break(40):
        pdf.add_page()
    pdf.line(pdf.l_margin + 30, pdf.get_y(), pdf.w - pdf.r_margin - 30, pdf.get_y())
    pdf.ln(6)
    for text in GUIDANCE_CLOSING:
        para(text)
    pdf.set_font(_G_FONT, "I", _G_SIZE)
    pdf.cell(0, _G_LH, "For the Technical Committee: Ilse Varnholt, Chair", align="R",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output()), pages, pdf.page_no()


# ==========================================================================
# Entry points
# ==========================================================================

def build(out_dir: PathLike) -> list[Path]:
    """Write both PDFs into ``out_dir`` (created if missing); return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, render in ((COBALT_FILE, render_cobalt_code),
                         (GUIDANCE_FILE, render_smelter_guidance)):
        data, _, _ = render()
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


def heading_pages() -> dict[str, dict[str, int]]:
    """Page (1-based) of every heading, per output file; useful for checks."""
    return {COBALT_FILE: render_cobalt_code()[1], GUIDANCE_FILE: render_smelter_guidance()[1]}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print("usage: python evals/corpus/build_dev_corpus.py OUT_DIR", file=sys.stderr)
        return 2
    for path in build(args[0]):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
