#!/usr/bin/env python3
"""Write scenarios/backtest/*.toml from the facts below by the rules of
docs/BACKTEST.md, the same rules for every case.

Every fact here is one of cases.csv (with the source the CSV gives for it) or
one found and cited; the rules turn facts into keys and everything unknown
into the same judged distributions for every case. Change a rule here and in
docs/BACKTEST.md, rerun (python3 data/backtest/make_cases.py),
and recompute every score.
"""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HORIZON = 24
AGREEMENT_MONTH = 12
CHANNEL_MONTH = 12
LATE_MONTH = 24  # ratified, escalation

# Mediator types (ICB medwho) -> credibility, docs/BACKTEST.md section 3.
CREDIBILITY = {
    "great power": "{ triangular = [0.6, 0.75, 0.9] }",
    "state": "{ triangular = [0.4, 0.6, 0.8] }",
    "organisation": "{ triangular = [0.4, 0.6, 0.8] }",
    "private": "{ triangular = [0.3, 0.5, 0.7] }",
}
STYLES = ["facilitation", "formulation", "manipulation"]

# The ICB calibration of the mediator (calibrations/icb-mediation.toml), read
# from its committed result. docs/BACKTEST.md section 3: a mediator parameter
# the calibration informs (contraction at least 0.1, docs/MODEL.md's rule for
# the defaults) takes triangular [p5, p50, p95] of its posterior marginal.
CALIBRATION = ROOT / "calibrations/icb-mediation/calibration.json"
INFORMED = 0.1

# The judged ranges (the flagship's), for the mediator parameters the
# calibration does not inform or does not fit.
JUDGED_LEVERS = {
    "facilitation_strength": "[0.3, 0.5, 0.7]",
    "crisis_management": "[0.1, 0.3, 0.5]",
    "information": "[0.1, 0.3, 0.5]",
    "bridge": "[0.02, 0.05, 0.1]",
    "focal_point": "[0, 0.25, 0.5]",
    "leverage": "[0.05, 0.1, 0.2]",
    "secrecy": "[0.2, 0.5, 0.8]",
    "revelation_boost": "[0.2, 0.5, 1]",
}

# One dict per case. `start` is (year, month, source); `record` maps an
# outcome to (happened, source) or is absent when the CSV leaves it out.
CASES = [
    dict(
        id=1, slug="oslo-1993", track="Oslo channel (Israel-PLO)",
        start=(1993, 1, "first secret meeting at Borregaard Manor outside Oslo, January 1993 "
               "[T. Rød-Larsen, preface to The Crooked Course, OUP 2014]"),
        sides=("Israel", "PLO", "[PAX 357]"), war=(True, "the PLO, a non-state armed group, is a principal [PAX 357]"),
        secret=(True, "'secret talks near Oslo' [looklex]"),
        mediator=("Norway (Fafo, Foreign Ministry)", "state", "[looklex; regjeringen.no]"),
        style=(["facilitation"], False, "'Norwegian Peace Facilitation' [Egeland, Cambridge chapter]"),
        record=dict(
            agreement=(True, "Declaration of Principles signed 13 Sep 1993, month 9 [PAX 357]"),
            channel_alive=(True, "Oslo II 28 Sep 1995 [PAX 410]"),
        ),
    ),
    dict(
        id=2, slug="camp-david-1977", track="Camp David (Egypt-Israel)",
        start=(1977, 11, "Sadat's Jerusalem visit 19-21 Nov 1977 initiated talks [experts123]"),
        sides=("Egypt", "Israel", "[sahistory]"), war=(False, "no ongoing war between the principals in the CSV"),
        secret=(False, ""),
        mediator=("United States (Carter)", "great power", "[sahistory]"),
        style=(["manipulation"], False, "Carter 'threatened to withdraw U.S. aid and friendship' [roots.history.com]"),
        record=dict(
            agreement=(True, "Camp David Accords 17 Sep 1978, month 11 [sahistory]"),
            channel_alive=(True, "Peace Treaty 26 Mar 1979, month 17 [sahistory]"),
        ),
    ),
    dict(
        id=3, slug="dayton-1995", track="Dayton (Bosnia)",
        start=(1995, 11, "talks opened 1 Nov 1995 at Wright-Patterson AFB [loc.gov]"),
        sides=("Bosnia and Herzegovina", "Croatia and FR Yugoslavia", "[PAX 389]"),
        war=(True, "ICB crisis 403 'Yugoslavia II: Bosnia' viol = 4, full-scale war [ICB v15]"),
        secret=(False, ""),
        mediator=("United States (Holbrooke)", "great power", "[loc.gov]; ICB 403 medwho = 5, a single state"),
        style=(["manipulation"], False, "ICB crisis 403 MEDSTYLE = 4 [ICB v15]"),
        record=dict(
            agreement=(True, "GFAP initialled 21 Nov 1995, month 1 [PAX 389]"),
            channel_alive=(True, "implementation regime [PAM]"),
            escalation=(False, "peace 'held to this day (2024)' [loc.gov; OHR '10 years on']"),
        ),
    ),
    dict(
        id=4, slug="good-friday-1996", track="Good Friday / Belfast (Northern Ireland)",
        start=(1996, 6, "all-party negotiations opened in Belfast on 10 June 1996 under George Mitchell's "
               "chairmanship [Irish Times, 'Talks process will be opened in Belfast by Bruton, Major', June 1996; "
               "UK National Archives record of 9 June 1996, quillproject.net item 25044]"),
        sides=("United Kingdom", "Ireland and the eight Northern Ireland parties", "[PAX 556]"),
        war=(False, "no principal is a non-state armed group [PAX 556]"),
        secret=(False, ""),
        mediator=("George Mitchell, chair of the talks", "private", "[ulstermuseum]"),
        style=(["formulation"], False, "the chair set the deadline [ulstermuseum]: 'controlled timing', a formulation item"),
        record=dict(
            agreement=(False, "Belfast Agreement 10 Apr 1998, month 23 [PAX 556]"),
            channel_alive=(True, "talks went on to the agreement [ulstermuseum]"),
            ratified=(True, "referendums 22 May 1998, month 24 [ulstermuseum]"),
            escalation=(False, "no sustained escalation; 'ended large-scale violence' [openDemocracy]"),
        ),
    ),
    dict(
        id=8, slug="igad-sudan-2002", track="IGAD / Naivasha (Sudan CPA)",
        start=(2002, 5, "second IGAD initiative May 2002 [Young 2007 evaluation]"),
        sides=("Government of Sudan", "SPLM/A", "[PAX 337]"), war=(True, "the SPLM/A, a non-state armed group, is a principal [PAX 337]"),
        secret=(False, ""),
        mediator=("IGAD (Kenya) with the US/UK/Norway troika", "organisation", "[en.wikipedia]"),
        style=(["formulation", "manipulation"], True, "UNSOURCED coding: analyst judgement only"),
        record=dict(
            agreement=(True, "Machakos Protocol 20 Jul 2002, month 3 [en.wikipedia; PAX 337]"),
            channel_alive=(True, "talks went on to the CPA [PAX 337]"),
            ratified=(False, "the CPA was signed 9 Jan 2005, month 33, after the window [PAX 337]"),
        ),
    ),
    dict(
        id=9, slug="havana-2012", track="Havana (Colombia-FARC)",
        start=(2012, 9, "formal talks from Sep 2012 in Havana [en.wikipedia], after the General Agreement of 26 Aug 2012 [PAX 786]"),
        sides=("Government of Colombia", "FARC-EP", "[PAX 1845]"), war=(True, "the FARC-EP, a non-state armed group, is a principal"),
        secret=(False, ""),
        mediator=("Cuba and Norway (guarantors)", "state", "[PAX 1845]"),
        style=(["facilitation"], False, "guarantor and host role [masress]"),
        record=dict(
            agreement=(True, "first sub-agreement (agrarian) about six months in [greek.ruvr.ru]"),
            channel_alive=(True, "talks 2012-2016 [en.wikipedia]"),
            ratified=(False, "final agreement 24 Nov 2016, after the window [en.wikipedia; PAX 1845]"),
        ),
    ),
    dict(
        id=10, slug="minsk-2014", track="Minsk / Normandy (Ukraine-Russia-separatists)",
        start=(2014, 6, "Trilateral Contact Group formed Jun 2014 [Wikipedia mirror]"),
        sides=("Ukraine", "Russia and the DPR/LPR", "[PAX 1363]"),
        war=(True, "the DPR/LPR, non-state armed groups, are principals [PAX 1363]"),
        secret=(False, ""),
        mediator=("OSCE (Tagliavini)", "organisation", "[PAX 1363]; ICB 471 medwho = 6"),
        style=(["manipulation"], False, "ICB crisis 471 MEDSTYLE = 4 [ICB v15]"),
        record=dict(
            agreement=(True, "Minsk Protocol 5 Sep 2014, month 4 [PAX 1363]"),
            channel_alive=(True, "TCG statements to 2020 [PAX 2440]"),
            ratified=(False, "'provisions never fully implemented' [profilpelajar Wikipedia mirror]"),
            escalation=(True, "Debaltseve offensive before Minsk II of 12 Feb 2015, month 9 [alliansfriheten]"),
        ),
    ),
    dict(
        id=11, slug="annan-plan-2004", track="Annan Plan (Cyprus)",
        start=(2004, 3, "Bürgenstock final talks Mar-Apr 2004 [wn.com]; earlier rounds UNSOURCED"),
        sides=("Greek Cypriots", "Turkish Cypriots (with Greece and Turkey)", "[en.wikipedia]"),
        war=(False, "no principal is a non-state armed group"),
        secret=(False, ""),
        mediator=("UN Secretary-General Annan", "organisation", "[wn.com]"),
        style=(["formulation"], False, "Annan 'to fill in the blanks' [wn.com]"),
        record=dict(
            agreement=(False, "no agreement: the plan went to referendums 24 Apr 2004 [en.wikipedia]"),
            ratified=(False, "rejected by 75.83% of Greek Cypriots 24 Apr 2004 [en.wikipedia]"),
        ),
    ),
    dict(
        id=13, slug="doha-2018", track="Doha (US-Taliban)",
        start=(2018, 10, "Baradar released Oct 2018, Doha talks with Khalilzad [Wikipedia copy]"),
        sides=("United States", "Taliban", "[en.wikipedia]"), war=(True, "the Taliban, a non-state armed group, is a principal"),
        secret=(False, ""),
        mediator=("Qatar (host)", "state", "[bedwards]"),
        style=(["facilitation"], False, "hosting only (analyst coding in the CSV)"),
        record=dict(
            agreement=(False, "Agreement for Bringing Peace 29 Feb 2020, month 17 [PAX 2271]"),
            channel_alive=(True, "talks went on to the agreement [en.wikipedia]"),
            ratified=(True, "intra-Afghan talks opened Sep 2020, month 24, as the agreement provided [fabienratier]"),
        ),
    ),
    dict(
        id=14, slug="oman-2013", track="Oman back-channel (US-Iran)",
        start=(2013, 3, "first secret US-Iran meeting in Oman, Mar 2013 [AP via nzherald; al-monitor]"),
        sides=("United States", "Iran", "[reuters]"), war=(False, "no armed conflict in the period"),
        secret=(True, "'secret US-Iran talks' [AP via nzherald]"),
        mediator=("Oman (Sultan Qaboos)", "state", "[newser; Burns memoir excerpt]"),
        style=(["facilitation"], False, "'meetings quietly facilitated by the Omanis' [Burns excerpt]"),
        record=dict(
            agreement=(True, "Joint Plan of Action 24 Nov 2013, month 9 [reuters]"),
            channel_alive=(True, "led to the JCPOA 2015"),
            ratified=(True, "JPOA implementation began 20 Jan 2014, month 11 [rensunderworld]"),
            escalation=(False, "no armed conflict in the period"),
        ),
    ),
    dict(
        id=15, slug="jcpoa-2013", track="JCPOA (Iran-P5+1)",
        start=(2013, 11, "formal talks from the JPOA, Nov 2013 [pdfslide]"),
        sides=("Iran", "P5+1 and the EU", "[pdfslide]"), war=(False, "no armed conflict between the principals"),
        secret=(False, ""),
        mediator=("EU (coordinator; its mediator role UNSOURCED)", "organisation", "[pdfslide]"),
        style=(["facilitation", "formulation"], True, "UNSOURCED coding: analyst judgement only"),
        record=dict(
            agreement=(False, "framework Apr 2015, month 18 [pdfslide]"),
            channel_alive=(True, "talks went on to the JCPOA [pdfslide]"),
            ratified=(False, "implementation day 16 Jan 2016, month 27, after the window [duhoctrungquoc]"),
        ),
    ),
    dict(
        id=17, slug="israel-syria-2008", track="Turkish proximity talks (Israel-Syria 2008)",
        start=(2008, 5, "talks announced 21 May 2008 [VOA Indonesia; devex]"),
        sides=("Israel", "Syria", "[hurriyet]"), war=(False, "no war between the principals in the period"),
        secret=(False, ""),
        mediator=("Turkey (Erdogan)", "state", "[hurriyet; jpost]"),
        style=(["facilitation"], False, "Erdogan passed notes between Olmert and Assad [masress/Haaretz]"),
        record=dict(
            agreement=(False, "none; the joint statement draft of Dec 2008 not finalised [masress/Haaretz]"),
            channel_alive=(False, "Syria suspended the talks, Turkey froze mediation 28-29 Dec 2008, month 8 [jpost]"),
            ratified=(False, "N/A: no agreement [jpost]"),
        ),
    ),
    dict(
        id=19, slug="pretoria-2022", track="AU Pretoria talks (Ethiopia-TPLF)",
        start=(2022, 10, "AU-led talks began 25 Oct 2022 [allafrica]"),
        sides=("Government of Ethiopia", "TPLF", "[PAX 2443]"), war=(True, "the TPLF's forces, a non-state armed group, are a principal"),
        secret=(False, ""),
        mediator=("AU panel (Obasanjo, Kenyatta, Mlambo-Ngcuka)", "organisation", "[allafrica; PAX 2443]"),
        style=(["formulation"], True, "UNSOURCED coding: analyst"),
        record=dict(
            agreement=(True, "Cessation of Hostilities Agreement 2 Nov 2022, month 2 [PAX 2443]"),
            ratified=(True, "Nairobi implementation declaration 12 Nov 2022, month 2 [PAX 2464]"),
        ),
    ),
    dict(
        id=20, slug="arusha-1992", track="Arusha (Rwanda)",
        start=(1992, 7, "talks began 12 Jul 1992 [liquisearch Wikipedia mirror]"),
        sides=("Government of Rwanda", "RPF", "[PAX 475]"), war=(True, "the RPF, a non-state armed group, is a principal"),
        secret=(False, ""),
        mediator=("Tanzania (facilitator Mwinyi), with the OAU", "state", "[PAX 475; liquisearch]"),
        style=(["formulation"], True, "UNSOURCED coding: analyst"),
        record=dict(
            agreement=(False, "Arusha Accords 4 Aug 1993, month 14 [PAX 475]"),
            channel_alive=(True, "talks went on to the Accords [PAX 475]"),
            ratified=(False, "transitional government never formed [piglix]"),
            escalation=(True, "genocide from April 1994, month 22 [kigalimemorialcentre]"),
        ),
    ),
    dict(
        id=22, slug="santegidio-1990", track="Sant'Egidio / Rome (Mozambique)",
        start=(1990, 7, "negotiations began Jul 1990 [en-academic]"),
        sides=("Government of Mozambique (FRELIMO)", "RENAMO", "[PAX 392]"), war=(True, "RENAMO, a non-state armed group, is a principal"),
        secret=(False, ""),
        mediator=("Sant'Egidio (Riccardi, Zuppi) with Bishop Gonçalves and Italy", "private", "[en-academic; PAX 392]"),
        style=(["facilitation", "formulation"], True, "UNSOURCED coding: analyst"),
        record=dict(
            agreement=(False, "General Peace Agreement 4 Oct 1992, month 28 [PAX 392]"),
            channel_alive=(True, "26 months, 11 rounds [santegidio.org]"),
            ratified=(False, "the GPA was signed in month 28, after the window [PAX 392]"),
            escalation=(False, "not within years: RENAMO declared the accord annulled only on 21 Oct 2013 [wiki-gateway]"),
        ),
    ),
    dict(
        id=24, slug="algiers-mali-2015", track="Algiers process (Mali)",
        start=(2015, 2, "cessation of hostilities document 19 Feb 2015 [Wikipedia copy]; the 2014 rounds UNSOURCED"),
        sides=("Government of Mali", "CMA (with the pro-government platform)", "[PAX 1365]"),
        war=(True, "the CMA, non-state armed groups, is a principal"),
        secret=(False, ""),
        mediator=("Algeria (chef de file) with the UN/MINUSMA", "state", "[PAX 1366/1367]"),
        style=(["formulation"], False, "the mediation proposed the agreement text 1 Mar 2015 [Wikipedia copy]"),
        record=dict(
            agreement=(True, "Accord signed 15 May 2015, month 4 [en.wikipedia; PAX 1365]"),
            channel_alive=(True, "talks went on to the Accord's signature 20 Jun 2015 [PAX 1365]"),
            ratified=(False, "CSV impl 'No': the junta terminated the accord 25 Jan 2024 [DW; en.wikipedia]"),
        ),
    ),
    dict(
        id=25, slug="muscat-2025", track="Oman-mediated US-Iran talks 2025 (scenarios/muscat-2025.toml)",
        start=(2025, 4, "first round in Muscat on 12 April 2025 [R of scenarios/muscat-2025.toml]"),
        sides=("United States", "Iran", "[R]"), war=(False, "no armed conflict between the principals at the start"),
        secret=(False, ""),
        mediator=("Oman", "state", "[R]"),
        style=(["facilitation"], False, "Oman shuttled between delegations in separate rooms [R]"),
        deadline_a=(2, "the 60-day deadline of the March 2025 letter [R]"),
        spoiler=("israel", "Israel", "the threat of Israeli strikes, named before the start [R]"),
        record=dict(
            agreement=(False, "five rounds, no agreement; round 6 cancelled [R]"),
            channel_alive=(False, "broken by the strikes of 13 and 21-22 June 2025, month 3 [R]"),
            ratified=(False, "no agreement [R]"),
            escalation=(True, "Israeli strikes 13 June 2025, US strikes 21-22 June, month 3 [R]"),
        ),
    ),
]

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
OUTCOME_MONTH = dict(agreement=AGREEMENT_MONTH, channel_alive=CHANNEL_MONTH, ratified=LATE_MONTH, escalation=LATE_MONTH)


def style_lines(case):
    styles, unsourced, source = case["style"]
    if len(styles) == 1 and not unsourced:
        return f'style = "{styles[0]}"{" " * max(1, 17 - len(styles[0]))}# {source}'
    # An uncertain coding is a judged input: each world's mediator has one
    # of the styles named (and facilitation too when the one style named is
    # higher), as a sourced case would, with equal weights
    # (docs/BACKTEST.md section 3).
    named = sorted(set(styles) | ({"facilitation"} if len(styles) == 1 else set()), key=STYLES.index)
    if len(named) == 1:  # an unsourced facilitation: nothing lower to hedge with
        return f'style = "{named[0]}"      # {source}'
    options = ", ".join(f'"{s}"' for s in named)
    return f"style = {{ one_of = [{options}] }} # {source}: judged by the protocol's rule"


def calibrated_levers():
    """The mediator parameters the ICB calibration informs, each as the
    triangular [p5, p50, p95] of its posterior marginal (two significant
    digits) with the comment that says so."""
    inputs = json.loads(CALIBRATION.read_text())["inputs"]
    levers = {}
    for entry in inputs:
        if not entry["key"].startswith("mediator.") or entry["contraction"] < INFORMED:
            continue
        post = entry["posterior"]
        points = ", ".join(f"{post[q]:.2g}" for q in ("p5", "p50", "p95"))
        levers[entry["key"].removeprefix("mediator.")] = (
            f"[{points}]",
            f"protocol: ICB v15 posterior, p5/p50/p95 (contraction {entry['contraction']:.2f})",
        )
    return levers


def mediator_levers():
    """Every lever's line: the ICB posterior where the calibration informs
    it, the judged range otherwise (durability_cost, which the protocol never
    judged, is written only when calibrated)."""
    calibrated = calibrated_levers()
    keys = list(JUDGED_LEVERS) + [k for k in calibrated if k not in JUDGED_LEVERS]
    lines = []
    for key in keys:
        if key in calibrated:
            points, why = calibrated[key]
        else:
            points, why = JUDGED_LEVERS[key], "protocol: judged (the flagship's range)"
        lines.append(f"{key} = {{ triangular = {points} }} # {why}")
    return "\n".join(lines)


def party(pid, name, case, deadline):
    at_war = case["war"][0]
    secret = case["secret"][0]
    trust = "[0.05, 0.15, 0.25]" if at_war else "[0.1, 0.25, 0.4]"
    trust_why = "at war at the start" if at_war else "not at war at the start"
    if deadline:
        dl = f"deadline = {deadline[0]}{' ' * 17}# {deadline[1]}"
    else:
        dl = "deadline = { uniform = [6, 24] } # no announced deadline dated before the start"
    return f"""[[parties]]
id = "{pid}"
name = "{name}"
concession = {{ triangular = [0.5, 1.0, 1.5] }} # protocol: Boulware to Conceder around linear (Faratin et al. 1998)
{dl}
offer_noise = 0.03           # protocol
walkout_hazard = {{ triangular = [0.01, 0.03, 0.06] }} # protocol, per month
walkout_rounds = 1           # protocol
initial_trust = {{ triangular = {trust} }} # protocol: {trust_why}
audience_cost = {0.1 if secret else 0.05}{' ' * 17}# protocol: {'a secret track' if secret else 'a public track'}
[parties.domestic]
threshold = {{ triangular = [0.3, 0.4, 0.5] }} # protocol: no ratification procedure dated before the start
noise = 0.1                  # protocol
drift = 0.01                 # protocol
[parties.issues.framework]
reservation = {{ triangular = [0.25, 0.35, 0.45] }} # protocol
[parties.issues.settlement]
reservation = {{ triangular = [0.4, 0.5, 0.6] }} # protocol
"""


def spoiler_block(sid, name, target):
    return f"""[[spoilers]]
id = "{sid}"
name = "{name}"
kind = "greedy"              # protocol: an inside spoiler per side (Stedman 1997)
position = "inside"
targets = ["{target}"]
capability = {{ triangular = [0.2, 0.4, 0.6] }} # protocol (the flagship's range)
pressure = 0.04              # protocol
base_hazard = 0.03           # protocol, per month
max_hazard = 0.2             # protocol
trigger = 0.5                # protocol
sensitivity = 8.0            # protocol
"""


def record_block(case):
    lines = ["[record]                     # what happened: scored by `backtest`, never read by the model"]
    for key in ["agreement", "channel_alive", "ratified", "escalation"]:
        if key in case["record"]:
            happened, source = case["record"][key]
            source = source.replace('"', "'")
            lines.append(
                f'{key} = {{ happened = {"true" if happened else "false"}, month = {OUTCOME_MONTH[key]}, source = "{source}" }}'
            )
    left_out = [k for k in ["agreement", "channel_alive", "ratified", "escalation"] if k not in case["record"]]
    if left_out:
        lines.append(f"# left out (UNSOURCED, or not settled inside the window by the CSV): {', '.join(left_out)}")
    return "\n".join(lines) + "\n"


def scenario_text(case):
    year, month, start_source = case["start"]
    a, b, sides_source = case["sides"]
    at_war, war_source = case["war"]
    secret, secret_source = case["secret"]
    med_name, med_type, med_source = case["mediator"]
    exposure = "[0.02, 0.05, 0.1]" if secret else "[0.2, 0.35, 0.5]"
    exposure_why = f"a secret track: {secret_source}" if secret else "a public track: the indirect default's range"
    war_hazard = "[0.01, 0.02, 0.04]" if at_war else "[0.002, 0.005, 0.01]"
    name = f"case-{case['id']:02d}-{case['slug']}"
    text = f"""# Back-test case {case['id']} of data/backtest/cases.csv: {case['track']}.
# Written by data/backtest/make_cases.py under docs/BACKTEST.md, as the track
# stood at its start; every key below is a fact dated before the start (with its
# source in brackets, as cases.csv gives it) or a judged input set by the
# protocol's rule, the same for every case. [record] is what happened, for
# scoring only.

[scenario]
name = "{name}"
description = "Back-test case {case['id']}: {case['track']}"
horizon = {HORIZON}                 # protocol: every case runs 24 months
round_label = "month"        # protocol
start = "{year}-{month:02d}"            # {start_source}
seed = {year}{month:02d}               # protocol: the start as YYYYMM
runs = 20000                 # protocol

[format]
mode = "indirect"            # protocol: a mediated track; the mediator acts on indirect talks
confirm_rounds = 1           # protocol
exposure = {{ triangular = {exposure} }} # {exposure_why}
leak_hazard = {{ triangular = [0.05, 0.1, 0.2] }} # protocol, per month

[mediator]
name = "{med_name}"          # {med_source}
credibility = {CREDIBILITY[med_type]} # protocol: a mediator of type '{med_type}'
{style_lines(case)}
{mediator_levers()}

[trust]
gain_per_agreement = 0.15    # protocol (the flagship's values)
loss_per_incident = 0.1      # protocol
loss_per_rejection = 0.1     # protocol
concession_boost = 0.5       # protocol
reservation_relief = {{ triangular = [0.1, 0.3, 0.5] }} # protocol

[[issues]]
id = "framework"
name = "Framework, ceasefire or declaration"
scope = "narrow"             # protocol: the same two issues for every case
visibility = {{ triangular = [0.4, 0.6, 0.8] }} # protocol

[[issues]]
id = "settlement"
name = "Settlement"
scope = "comprehensive"      # protocol
visibility = 1.0             # protocol

# Sides (protocol: the first principal named, then all the others) {sides_source}
{party("a", a, case, case.get("deadline_a"))}
{party("b", b, case, None)}
{spoiler_block("hardliners-a", "Hardliners of " + a, "a")}
{spoiler_block("hardliners-b", "Hardliners of " + b, "b")}"""
    if "spoiler" in case:
        sid, sname, ssource = case["spoiler"]
        text += f"""
[[spoilers]]
id = "{sid}"
name = "{sname}"
kind = "total"               # protocol: an outside state threatening force; {ssource}
position = "outside"
targets = ["a"]
capability = {{ triangular = [0.2, 0.4, 0.6] }} # protocol
pressure = 0.04              # protocol
base_hazard = 0.03           # protocol, per month
max_hazard = 0.2             # protocol
trigger = 0.5                # protocol
sensitivity = 8.0            # protocol
"""
    text += f"""
[[shocks]]
id = "incident"
name = "Incident"
hazard = {{ triangular = [0.02, 0.05, 0.1] }} # protocol, per month
effect = "suspend"
duration = 1

[[shocks]]
id = "war"
name = "Escalation of violence"
hazard = {{ triangular = {war_hazard} }} # protocol: {'at war at the start' if at_war else 'not at war at the start'}: {war_source}
effect = "escalate"

{record_block(case)}"""
    return name, text


def main():
    out = ROOT / "scenarios/backtest"
    out.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        name, text = scenario_text(case)
        (out / f"{name}.toml").write_text(text)


if __name__ == "__main__":
    main()
