"""The sample assessment that `seed_demo` creates: displaced communities in a drought-hit
border province. Every place, group and figure in it is fictional.

It is written through the services only, as an analyst would through the pages, so the
history, versions and checks are the real ones. It is complete enough to show every page
and the brief, and it leaves exactly one gap for the lens check to find (see
DELIBERATE_GAP): a serious threat whose early-warning indicator has not been agreed yet.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from assessments.content.services import (
    group_save,
    response_save,
    section_save,
    threat_save,
)
from assessments.core.services import assessment_create
from assessments.models import Assessment, PopulationGroup, Response, Team, Threat
from assessments.models.analysis import ActorType
from frameworks.models import FrameworkVersion

SAMPLE_TITLE = "Drought and displacement in the Harra border districts (sample)"

# The threat left without an early-warning indicator, so the lens check has one gap.
DELIBERATE_GAP = "Livelihood collapse drives debt, asset sales and child labour"

CONTEXT = {
    "title": SAMPLE_TITLE,
    "country": "Ardania (fictional)",
    "area": "Harra province: Karsi and Dembel districts along the Souvrel border",
    "population_focus": (
        "Households displaced by drought and cross-border violence, and the host "
        "villages that receive them"
    ),
    "period_start": datetime.date(2026, 3, 1),
    "period_end": datetime.date(2026, 9, 30),
    "key_points": "\n".join(
        [
            "A third failed rainy season has left about 61,000 displaced people and their "
            "hosts facing crisis hunger before the lean season peaks in July.",
            "Competition for the few working boreholes and grazing land is turning into "
            "violence, and Dawri herders are being blamed and detained.",
            "Safe water, women's safety on collection routes and a joint host-displaced "
            "resource committee are the most urgent gaps; anticipatory finance is needed "
            "before the October rains.",
        ]
    ),
}

# Answers by section key, then prompt key.
ANSWERS: dict[str, dict[str, str]] = {
    "context": {
        "context-situation": (
            "Karsi and Dembel districts of Harra province, March to September 2026. The "
            "2024 and 2025 rains failed and the 2026 short rains were about 40% below "
            "average. Some 61,000 people have left dry villages and the Souvrel side of "
            "the border, where an armed group has attacked settlements since late 2025. "
            "Most live in four informal sites around Karsi town and Dembel market; the "
            "rest stay with host families. Cereal prices have doubled in a year and "
            "livestock losses reach half of herds in the worst-hit areas."
        ),
        "context-power": (
            "The provincial governor and two district commissioners control relief "
            "lists and land allocation for the sites. The border guard and military "
            "intelligence act with wide discretion under a state of emergency declared "
            "in January 2026. Customary chiefs decide access to grazing and settle most "
            "disputes; their authority is strong among host farmers and weaker among "
            "newcomers. Large livestock traders and water-truck owners set prices and "
            "lend money. In practice the district commissioners' patronage networks "
            "decide who is registered for aid."
        ),
        "context-arenas": (
            "Land and natural resources: host farmers and displaced herders dispute "
            "boreholes, grazing corridors and crop damage; the sharpest arena. "
            "Services: host villages resent that aid goes mainly to the sites. Justice "
            "and security: Dawri men face screening and detention with little recourse. "
            "Governance: seats in the September provincial elections are contested "
            "along clan lines, and candidates court host voters by blaming displaced "
            "people."
        ),
        "context-triggers": (
            "Lean season peak (June to August 2026): food stocks run out. Provincial "
            "elections on 13 September 2026: campaign rhetoric against the Dawri is "
            "likely to rise from July. Onset of the main rains in July: late or failed "
            "rains would prolong displacement, early heavy rain would raise cholera risk "
            "in the sites. Any new cross-border attack would bring more arrivals and a "
            "security crackdown. A renewal of the state of emergency is due in July."
        ),
    },
    "reflexive": {
        "reflexive-assumptions": (
            "Our team comes from relief work, so we tend to read the crisis as a food "
            "and water problem and may underrate political drivers. We also start from "
            "sympathy for displaced people, which could lead us to discount hosts' "
            "grievances as prejudice when many are about real losses. We assume that "
            "community committees are a good thing; in this setting they may be "
            "captured by chiefs."
        ),
        "reflexive-position": (
            "As an international NGO team we need district permits, so officials "
            "accompanied some visits and people were guarded about the security forces. "
            "Two of four interviewers are men, which limited what women said about "
            "violence; we held women-only sessions with female facilitators to offset "
            "this. Interviews in Dawri were interpreted, and meaning may have been lost."
        ),
        "reflexive-missing-voices": (
            "Dawri men who have been detained or who avoid the sites, whom we could not "
            "meet safely. People in the remote grazing areas east of Dembel, reached "
            "only by phone. Adolescent boys, who are most exposed to recruitment and "
            "child labour. Next round: a trusted Dawri organisation could lead "
            "interviews, and mobile teams could visit the grazing areas after the rains."
        ),
    },
    "whom": {
        "whom-groups": (
            "About 61,000 displaced people: roughly 34,000 in four informal sites "
            "(Karsi North, Karsi Airstrip, Dembel Market, Wadi Tello) and 27,000 with "
            "host families. Around 38,000 host villagers share their water and land. "
            "Within these: women heading households (about 6,400), children (about "
            "21,000), older people and persons with disabilities (about 2,900) and "
            "Dawri herding families (about 4,500), many without identity documents."
        ),
        "whom-differences": (
            "Women and girls walk up to 8 km for firewood and water and report assault "
            "on the way; men are more exposed to arrest at checkpoints. Children under "
            "five show the highest acute malnutrition, and adolescent boys leave school "
            "for herding and mining work. Older and disabled people cannot reach "
            "distributions or latrines. Dawri families face suspicion, screening and "
            "exclusion from aid lists because of their ethnicity, and hosts lose crops "
            "and water to newcomers without any compensation."
        ),
        "whom-own-account": (
            'Displaced women said: "Hunger we know; what we fear is the road to the '
            'firewood." Men in the sites named lack of work and debt as their main '
            "worry. Dawri elders said they feel safer in the bush than near the "
            "checkpoints, although water is there. Host farmers spoke of being "
            "'forgotten' while aid goes to the sites. Everyone named the borehole "
            "queues as the place where fights start."
        ),
        "whom-decision": (
            "District relief committees are made up of officials and host chiefs; "
            "site leaders are men chosen by the district office. Women, youth, persons "
            "with disabilities and Dawri families have no seat and are heard only "
            "through NGO consultations."
        ),
    },
    "what": {
        "what-threats": (
            "Food: crisis-level hunger, with global acute malnutrition above 15% in two "
            "sites. Environmental: failing boreholes and degraded grazing. Health: "
            "cholera risk from unsafe water and open defecation. Personal: sexual "
            "violence on collection routes. Political: arbitrary arrest of Dawri men. "
            "Community: farmer-herder tension. Economic: lost livelihoods, debt and "
            "child labour. Digital: hate speech against the Dawri on social media."
        ),
        "what-chronic-sudden": (
            "Chronic: drought, hunger, livelihood loss, land degradation and the "
            "long exclusion of the Dawri. Sudden: cholera outbreaks, cross-border "
            "attacks, and clashes at water points. The state is a source of threat: "
            "border guard and military intelligence units detain Dawri men without "
            "charge, and district officials have left Dawri families off aid lists."
        ),
        "what-interactions": (
            "Drought cuts harvests and herds, which pushes families into debt and "
            "sends boys to work, and drives herders onto farmland, which sparks "
            "disputes. Disputes and online rumours frame the Dawri as thieves or "
            "collaborators, which justifies arrests and exclusion from aid, which "
            "deepens their hunger. Crowding at few water points raises both cholera "
            "risk and conflict."
        ),
    },
    "means": {
        "means-capacities": (
            "Families share food across households, send some members to towns for "
            "work, and sell livestock. Women travel in groups to collect firewood. "
            "Customary elders mediate many crop-damage disputes. Harmful strategies are "
            "rising: skipping meals, borrowing from traders at high rates, taking boys "
            "out of school and, in some sites, early marriage of girls."
        ),
        "means-actors": (
            "A UN food agency and the district relief committee run general food "
            "distribution in the sites. Two NGOs run nutrition and mobile clinics. The "
            "district water office has no fuel budget for borehole generators. No one "
            "monitors detention or offers legal aid. Host villages and Dawri families "
            "outside the sites receive almost nothing."
        ),
        "means-options": (
            "Protection: repair and fuel boreholes and build latrines before the rains "
            "(district water office, by May); independent detention monitoring and "
            "legal aid (human rights commission, from April). Empowerment: women's "
            "safety committees with safe routes and fuel-efficient stoves (local NGO, by "
            "June); a joint host-displaced water and grazing committee (chiefs and site "
            "leaders, by July). Solidarity: a cross-border drought early-warning and "
            "pooled anticipatory finance arrangement (regional authority, before "
            "October)."
        ),
        "means-do-no-harm": (
            "Dividers: water points, grazing corridors, aid targeting that favours the "
            "sites, and election rhetoric. Connectors: the weekly Dembel market, shared "
            "mosques and churches, and intermarriage between some host and Dawri "
            "clans. Risks: aid only for the displaced feeds host resentment; visible "
            "support to the Dawri could make them more of a target; committees could be "
            "captured by chiefs. Mitigation: shared targeting criteria with hosts, "
            "discreet case work, and seats reserved for women and Dawri members."
        ),
    },
    "prevention": {
        "prevention-root-causes": (
            "Climate stress on a rain-fed economy with no social safety net drives the "
            "hunger and livelihood threats. Unclear land rights and the closure of "
            "grazing corridors drive farmer-herder conflict. The long political "
            "exclusion of the Dawri and a security doctrine that treats them as a "
            "border threat drive the arrests and hate speech. Underinvestment in "
            "water and sanitation drives the cholera risk."
        ),
        "prevention-indicators": (
            "Sorghum price at Dembel market (alert at 2.5 times the five-year average); "
            "weekly admissions for severe acute malnutrition; working boreholes and "
            "litres per person per day (alert below 7.5); weekly acute watery "
            "diarrhoea cases (any confirmed cholera case is a trigger); incidents "
            "reported in women's safety audits; arrests reported by Dawri elders; "
            "killing in a farmer-herder dispute (trigger); seasonal rainfall against "
            "the long-term average."
        ),
        "prevention-actions": (
            "Release anticipatory cash and fodder when the price alert is reached, "
            "before the lean season peak (donors and district relief committee). "
            "Pre-position cholera kits by June (health office). Agree grazing corridors "
            "and water-point rotas before the dry-season migration (joint committee). "
            "Brief election candidates and the provincial peace committee on hate "
            "speech from July. Warnings go to the district relief committee, the "
            "cluster coordinators and the women's safety committees."
        ),
    },
    "sources": {
        "sources-list": (
            "Fourteen focus groups (six women-only, two with Dawri elders, two with "
            "host farmers) and 22 key informant interviews with site leaders, health "
            "staff, a district official, traders and chiefs, March 2026; site "
            "observation in all four sites; nutrition screening data from the mobile "
            "clinics (February to March 2026); market price monitoring by the food "
            "security working group; rainfall estimates from the regional drought "
            "authority. Informants are described by role only. This is a demo "
            "sample: places, groups and figures are fictional."
        ),
        "sources-gaps-confidence": (
            "No population count since the November 2025 registration; figures are "
            "extrapolated from site leaders' lists. Detention figures rest on elders' "
            "accounts that we could not verify. We assume the main rains arrive on "
            "time in July. Overall confidence: medium; high for food and water, low "
            "for detention and online threats. A new registration or access to "
            "detention records would change our conclusions most."
        ),
    },
}

GROUPS = [
    {
        "key": "women",
        "name": "Displaced women heading households",
        "description": (
            "Women raising children alone after husbands left to find work, were "
            "detained or were killed. They collect water and firewood and queue at "
            "distributions."
        ),
        "sex": PopulationGroup.Sex.FEMALE,
        "age_band": PopulationGroup.AgeBand.A18_49,
        "displacement_status": PopulationGroup.Displacement.IDP,
        "other_characteristics": "Mostly in the four informal sites; low literacy",
        "estimated_size": 6400,
    },
    {
        "key": "children",
        "name": "Displaced children and adolescents",
        "description": (
            "Children in the sites and in host households. Under-fives face acute "
            "malnutrition; adolescent boys leave school to herd or work in small mines."
        ),
        "sex": PopulationGroup.Sex.ALL,
        "age_band": PopulationGroup.AgeBand.CHILDREN,
        "displacement_status": PopulationGroup.Displacement.IDP,
        "estimated_size": 21000,
    },
    {
        "key": "older",
        "name": "Older and disabled displaced people",
        "description": (
            "People over 60 and persons with mobility, sight or hearing impairments "
            "who cannot reach distributions, water points or latrines unaided."
        ),
        "sex": PopulationGroup.Sex.ALL,
        "age_band": PopulationGroup.AgeBand.OLDER,
        "disability": PopulationGroup.Disability.MIXED,
        "displacement_status": PopulationGroup.Displacement.IDP,
        "estimated_size": 2900,
    },
    {
        "key": "hosts",
        "name": "Host farming villages",
        "description": (
            "Smallholder farming households around Karsi and Dembel who share "
            "boreholes and land with the displaced and have lost their own harvests."
        ),
        "sex": PopulationGroup.Sex.ALL,
        "age_band": PopulationGroup.AgeBand.ALL,
        "displacement_status": PopulationGroup.Displacement.HOST,
        "other_characteristics": "Rural, rain-fed smallholders; low income",
        "estimated_size": 38000,
    },
    {
        "key": "dawri",
        "name": "Dawri herding families",
        "description": (
            "A pastoralist minority living on both sides of the border, accused locally "
            "of links with the armed group. Men are screened and detained; many "
            "families lack identity documents and avoid the sites."
        ),
        "sex": PopulationGroup.Sex.ALL,
        "age_band": PopulationGroup.AgeBand.ALL,
        "displacement_status": PopulationGroup.Displacement.MIXED,
        "ethnicity": "Dawri",
        "other_characteristics": "Pastoralist; many without civil documents",
        "estimated_size": 4500,
        "sensitive": True,
    },
]

# tags and indicators use component keys and plain dicts; resolved when saving.
THREATS = [
    {
        "title": "Crisis hunger before the lean season",
        "dimension": "food",
        "description": (
            "Household stocks are exhausted and cereal prices have doubled; two sites "
            "show global acute malnutrition above the 15% emergency threshold."
        ),
        "source_actor": "Third consecutive failed rainy season and market disruption",
        "actor_type": ActorType.NATURAL,
        "groups": ["women", "children", "hosts", "dawri"],
        "likelihood": 5,
        "severity": 4,
        "urgency": 3,
        "trend": Threat.Trend.DETERIORATING,
        "confidence": Threat.Confidence.HIGH,
        "basis": Threat.Basis.BOTH,
        "onset": Threat.Onset.CHRONIC,
        "root_causes": (
            "Rain-fed farming and herding with no social safety net; repeated drought "
            "linked to a changing climate; border closures that cut seasonal trade."
        ),
        "tags": {
            "person-centred": "Families name hunger as a daily fear and cut meals first.",
            "multi-dimensional": "Hunger drives debt, child labour and disease in turn.",
            "preventive": "Prices and rainfall give months of warning before the peak.",
        },
        "indicators": [
            {
                "name": "Sorghum price at Dembel market",
                "kind": "proximate",
                "baseline": "1.9 times the five-year average (March 2026)",
                "threshold": "2.5 times the five-year average",
                "source": "Food security working group market monitoring",
                "frequency": "Weekly",
            },
            {
                "name": "Admissions for severe acute malnutrition",
                "kind": "proximate",
                "baseline": "85 a week across the mobile clinics (March 2026)",
                "threshold": "More than 120 a week for two weeks",
                "source": "Mobile clinic nutrition reports",
                "frequency": "Weekly",
            },
        ],
    },
    {
        "title": "Failing boreholes and competition for water",
        "dimension": "environmental",
        "description": (
            "Only 9 of 21 boreholes in the two districts work; queues of several hours "
            "and falling water tables push people to unprotected wells."
        ),
        "source_actor": "Falling water table; no fuel or spare parts for pumps",
        "actor_type": ActorType.NATURAL,
        "groups": ["women", "hosts", "dawri"],
        "likelihood": 4,
        "severity": 4,
        "urgency": 3,
        "trend": Threat.Trend.DETERIORATING,
        "confidence": Threat.Confidence.HIGH,
        "basis": Threat.Basis.OBSERVED,
        "onset": Threat.Onset.CHRONIC,
        "root_causes": (
            "Drought and over-extraction lower the aquifer; the district water office "
            "has no operating budget; wells were never planned for the new population."
        ),
        "tags": {
            "context-specific": "Water points are the local flashpoint everyone named.",
            "preventive": "Repairs before the dry-season peak avert both conflict and disease.",
        },
        "indicators": [
            {
                "name": "Working boreholes and litres per person per day",
                "kind": "structural",
                "baseline": "9 of 21 working; 6 litres per person (March 2026)",
                "threshold": "Below 7.5 litres per person or fewer than 8 working",
                "source": "District water office and WASH partner checks",
                "frequency": "Fortnightly",
            },
        ],
    },
    {
        "title": "Cholera outbreak in overcrowded sites",
        "dimension": "health",
        "description": (
            "Unsafe water, too few latrines and crowding make an outbreak likely when "
            "the rains start; older and disabled people and young children are most "
            "at risk."
        ),
        "source_actor": "Unsafe water and sanitation in informal sites",
        "actor_type": ActorType.OTHER,
        "groups": ["children", "older"],
        "likelihood": 3,
        "severity": 5,
        "urgency": 3,
        "trend": Threat.Trend.DETERIORATING,
        "confidence": Threat.Confidence.MEDIUM,
        "basis": Threat.Basis.OBSERVED,
        "onset": Threat.Onset.SUDDEN,
        "root_causes": (
            "Sites were never planned or serviced; there is one latrine for about 90 "
            "people; health and water budgets do not follow displacement."
        ),
        "tags": {
            "person-centred": "Those least able to reach latrines and clinics die first.",
            "preventive": "Latrines and chlorination before July cost far less than a response.",
        },
        "indicators": [
            {
                "name": "Weekly acute watery diarrhoea cases in the sites",
                "kind": "proximate",
                "baseline": "40 cases a week (March 2026)",
                "threshold": "Doubling within two weeks",
                "source": "Mobile clinic surveillance",
                "frequency": "Weekly",
            },
            {
                "name": "Confirmed cholera case in either district",
                "kind": "trigger",
                "baseline": "None since 2023",
                "threshold": "Any single confirmed case",
                "source": "Provincial health office laboratory",
                "frequency": "As reported",
            },
        ],
    },
    {
        "title": "Sexual violence on firewood and water routes",
        "dimension": "personal",
        "description": (
            "Women and girls report assault and harassment on routes of up to 8 km to "
            "collect firewood and water, mostly at dawn and dusk."
        ),
        "source_actor": "Armed men on the routes and some local young men",
        "actor_type": ActorType.OTHER,
        "groups": ["women", "children"],
        "likelihood": 4,
        "severity": 4,
        "urgency": 3,
        "trend": Threat.Trend.STABLE,
        "confidence": Threat.Confidence.MEDIUM,
        "basis": Threat.Basis.PERCEIVED,
        "onset": Threat.Onset.CHRONIC,
        "root_causes": (
            "Long distances to fuel and water; no lighting or patrols; impunity, "
            "since survivors fear stigma and have no safe place to report."
        ),
        "tags": {
            "person-centred": "Women rank this above hunger in their own account.",
            "context-specific": "Routes, times and places of risk are specific to each site.",
        },
        "indicators": [
            {
                "name": "Incidents raised in women's safety audits",
                "kind": "proximate",
                "baseline": "12 incidents reported in March 2026",
                "threshold": "Any increase two months running",
                "source": "Women's safety audits by the local NGO",
                "frequency": "Monthly",
            },
        ],
    },
    {
        "title": "Arbitrary arrest of Dawri men by border security forces",
        "dimension": "political",
        "description": (
            "Dawri men are screened at checkpoints and held without charge for days or "
            "weeks under emergency powers; families pay to secure release."
        ),
        "source_actor": "Border guard and military intelligence units",
        "actor_type": ActorType.STATE,
        "groups": ["dawri"],
        "likelihood": 4,
        "severity": 4,
        "urgency": 3,
        "trend": Threat.Trend.DETERIORATING,
        "confidence": Threat.Confidence.LOW,
        "basis": Threat.Basis.PERCEIVED,
        "onset": Threat.Onset.SUDDEN,
        "root_causes": (
            "A security doctrine that treats the Dawri as a border threat; emergency "
            "powers with no judicial oversight; the Dawri's long political exclusion."
        ),
        "tags": {
            "person-centred": "Here the state itself is the main source of insecurity.",
            "context-specific": "It follows the January emergency decree and local suspicion.",
            "preventive": "Oversight now can stop arrests escalating after a new attack.",
        },
        "indicators": [
            {
                "name": "Arrests of Dawri men reported by elders",
                "kind": "proximate",
                "baseline": "About 30 reported in February and March 2026",
                "threshold": "More than 10 in any week",
                "source": "Dawri elders via a trusted partner",
                "frequency": "Weekly",
            },
            {
                "name": "Armed attack across the border attributed to the armed group",
                "kind": "trigger",
                "baseline": "Last attack in January 2026",
                "threshold": "Any attack within 50 km of the districts",
                "source": "Security incident tracking by NGO safety officers",
                "frequency": "As it happens",
            },
        ],
    },
    {
        "title": "Violent disputes between host farmers and displaced herders",
        "dimension": "community",
        "description": (
            "Herds moved onto farmland and shared water points lead to crop damage, "
            "fights and, in one case in February, a killing."
        ),
        "source_actor": "Competing land users; disputes stoked by local politicians",
        "actor_type": ActorType.COMMUNITY,
        "groups": ["hosts", "dawri"],
        "likelihood": 4,
        "severity": 3,
        "urgency": 2,
        "trend": Threat.Trend.DETERIORATING,
        "confidence": Threat.Confidence.MEDIUM,
        "basis": Threat.Basis.BOTH,
        "onset": Threat.Onset.CHRONIC,
        "root_causes": (
            "Unclear land rights and the closure of old grazing corridors; shrinking "
            "water and pasture; elections that reward blaming outsiders."
        ),
        "tags": {
            "context-specific": "Rooted in local land tenure and seasonal migration routes.",
            "multi-dimensional": "Links water scarcity, identity and electoral politics.",
        },
        "indicators": [
            {
                "name": "Crop-damage disputes referred to customary elders",
                "kind": "proximate",
                "baseline": "8 a month (March 2026)",
                "threshold": "More than 15 a month",
                "source": "Customary courts in Karsi and Dembel",
                "frequency": "Monthly",
            },
            {
                "name": "Killing in a farmer-herder dispute",
                "kind": "trigger",
                "baseline": "One in February 2026",
                "threshold": "Any further killing",
                "source": "Local peace committee and police reports",
                "frequency": "As it happens",
            },
        ],
    },
    {
        "title": DELIBERATE_GAP,
        "dimension": "economic",
        "description": (
            "With harvests and herds lost, families borrow from traders at high rates, "
            "sell breeding stock and send adolescent boys to herd or mine."
        ),
        "source_actor": "Drought-driven income loss and high-interest trader credit",
        "actor_type": ActorType.PRIVATE,
        "groups": ["women", "children", "hosts"],
        "likelihood": 4,
        "severity": 3,
        "urgency": 2,
        "trend": Threat.Trend.DETERIORATING,
        "confidence": Threat.Confidence.HIGH,
        "basis": Threat.Basis.OBSERVED,
        "onset": Threat.Onset.CHRONIC,
        "root_causes": (
            "Dependence on a single rain-fed livelihood; no access to formal credit or "
            "savings; no public safety net for drought years."
        ),
        "tags": {
            "multi-dimensional": "Income loss turns into hunger, school drop-out and child labour.",
        },
        # No indicator yet: the cash working group has not agreed one (the lens gap).
        "indicators": [],
    },
    {
        "title": "Online hate speech against the Dawri ahead of the elections",
        "dimension": "digital",
        "description": (
            "Local social media pages share rumours that the Dawri steal livestock and "
            "shelter fighters; posts rose after the February killing."
        ),
        "source_actor": "Local social media pages, some close to election candidates",
        "actor_type": ActorType.OTHER,
        "groups": ["dawri"],
        "likelihood": 3,
        "severity": 3,
        "urgency": 2,
        "trend": Threat.Trend.DETERIORATING,
        "confidence": Threat.Confidence.LOW,
        "basis": Threat.Basis.PERCEIVED,
        "onset": Threat.Onset.CHRONIC,
        "root_causes": "",
        "tags": {
            "multi-dimensional": "Online rumours feed arrests and clashes offline.",
            "preventive": "Watching rhetoric before the campaign allows early engagement.",
        },
        "indicators": [
            {
                "name": "Hateful posts about the Dawri in monitored local groups",
                "kind": "proximate",
                "baseline": "About 20 a week (March 2026)",
                "threshold": "Doubling in a week, or any call to violence",
                "source": "Partner social media monitoring",
                "frequency": "Weekly",
            },
        ],
    },
]

RESPONSES = [
    {
        "title": "General food distribution and supplementary feeding",
        "description": (
            "Monthly rations in the four sites and supplementary feeding for children "
            "under five and pregnant women."
        ),
        "strategy": Response.Strategy.PROTECTION,
        "actor": "UN food agency with the district relief committee",
        "actor_type": ActorType.INTERNATIONAL,
        "threats": ["Crisis hunger before the lean season"],
        "group": "children",
        "timeframe": "Ongoing; scale up before the lean season in June",
        "status": Response.Status.EXISTING,
        "preventive": False,
        "do_no_harm_risk": (
            "Aid limited to the sites feeds host resentment and misses Dawri families "
            "who avoid them; extend to vulnerable hosts on shared criteria."
        ),
    },
    {
        "title": "Borehole repair, fuel and latrines before the rains",
        "description": (
            "Repair six boreholes, fund generator fuel for six months and build 300 "
            "latrines with accessible designs in the sites."
        ),
        "strategy": Response.Strategy.PROTECTION,
        "actor": "District water office with WASH partners",
        "actor_type": ActorType.STATE,
        "threats": [
            "Failing boreholes and competition for water",
            "Cholera outbreak in overcrowded sites",
        ],
        "group": "older",
        "timeframe": "By the end of May 2026",
        "status": Response.Status.GAP,
        "preventive": True,
        "do_no_harm_risk": (
            "New water points inside the sites only would widen the host-displaced "
            "divide; place some in host villages and agree rotas jointly."
        ),
    },
    {
        "title": "Independent detention monitoring and legal aid",
        "description": (
            "Regular visits to border detention sites, case follow-up and legal "
            "representation for Dawri men held without charge."
        ),
        "strategy": Response.Strategy.PROTECTION,
        "actor": "Provincial office of the national human rights commission",
        "actor_type": ActorType.STATE,
        "threats": ["Arbitrary arrest of Dawri men by border security forces"],
        "group": "dawri",
        "timeframe": "Start in April 2026",
        "status": Response.Status.GAP,
        "preventive": False,
        "do_no_harm_risk": (
            "Visible advocacy could expose families to reprisals; take cases only with "
            "consent and keep names out of public reporting."
        ),
    },
    {
        "title": "Women's safety committees, safe routes and fuel-efficient stoves",
        "description": (
            "Women-led committees map risky routes, organise group trips and "
            "distribute fuel-efficient stoves to halve firewood needs."
        ),
        "strategy": Response.Strategy.EMPOWERMENT,
        "actor": "Displaced women's groups with a local women's NGO",
        "actor_type": ActorType.CIVIL_SOCIETY,
        "threats": [
            "Sexual violence on firewood and water routes",
            "Failing boreholes and competition for water",
        ],
        "group": "women",
        "timeframe": "By June 2026",
        "status": Response.Status.RECOMMENDED,
        "preventive": True,
        "do_no_harm_risk": (
            "Committee members could be targeted for speaking out; keep reporting "
            "confidential and involve men's groups so the work is not seen as a threat."
        ),
    },
    {
        "title": "Joint host-displaced water and grazing committee",
        "description": (
            "A committee of host chiefs, site leaders, women and Dawri elders agrees "
            "grazing corridors, water-point rotas and compensation for crop damage."
        ),
        "strategy": Response.Strategy.EMPOWERMENT,
        "actor": "Customary elders of host and Dawri communities, with site leaders",
        "actor_type": ActorType.COMMUNITY,
        "threats": [
            "Violent disputes between host farmers and displaced herders",
            "Failing boreholes and competition for water",
            "Online hate speech against the Dawri ahead of the elections",
        ],
        "group": "hosts",
        "timeframe": "Before the dry-season migration, by July 2026",
        "status": Response.Status.RECOMMENDED,
        "preventive": True,
        "do_no_harm_risk": (
            "The committee could be captured by host chiefs; reserve seats for women "
            "and Dawri members and rotate the chair."
        ),
    },
    {
        "title": "Cross-border drought early warning and anticipatory finance",
        "description": (
            "The two governments and the regional drought authority share rainfall and "
            "price data and release pooled funds for cash and fodder when thresholds "
            "are crossed."
        ),
        "strategy": Response.Strategy.SOLIDARITY,
        "actor": "Regional drought authority, both disaster agencies and donors",
        "actor_type": ActorType.INTERNATIONAL,
        "threats": [
            "Crisis hunger before the lean season",
            DELIBERATE_GAP,
        ],
        "group": "hosts",
        "timeframe": "Agreement before the October 2026 rains",
        "status": Response.Status.RECOMMENDED,
        "preventive": True,
        "do_no_harm_risk": (
            "Border data sharing could be used for security screening; share only "
            "aggregate data and keep registration lists out of it."
        ),
    },
]


def _fits(version: FrameworkVersion) -> bool:
    """The sample is written against the default framework's sections and keys."""
    sections = set(version.sections.values_list("key", flat=True))
    components = set(version.components.values_list("key", flat=True))
    dimensions = set(version.dimensions.values_list("key", flat=True))
    return (
        set(ANSWERS) <= sections
        and {k for t in THREATS for k in t["tags"]} <= components
        and {t["dimension"] for t in THREATS} <= dimensions
    )


def create_sample(
    *, version: FrameworkVersion, team: Team, owner, collaborator
) -> Assessment | None:
    """Create the sample assessment in `team`, or return the one already there unchanged.
    Returns None if `version` is not shaped like the default framework."""
    existing = Assessment.objects.filter(team=team, title=SAMPLE_TITLE).order_by("pk").first()
    if existing is not None:
        return existing
    if not _fits(version):
        return None
    with transaction.atomic():
        return _build(version=version, team=team, owner=owner, collaborator=collaborator)


def _build(*, version: FrameworkVersion, team: Team, owner, collaborator) -> Assessment:
    assessment = assessment_create(
        user=owner,
        team=team,
        framework_version=version,
        collaborators=[collaborator] if collaborator is not None else [],
        **CONTEXT,
    )

    # The colleague wrote "by what means" and "prevention"; the owner the rest.
    for section in version.sections.prefetch_related("prompts"):
        texts = ANSWERS.get(section.key, {})
        keys = {p.key for p in section.prompts.all()}
        texts = {key: text for key, text in texts.items() if key in keys}
        if not texts:
            continue
        author = collaborator if collaborator and section.key in ("means", "prevention") else owner
        section_save(
            assessment=assessment,
            section=section,
            user=author,
            texts=texts,
            versions=dict.fromkeys(texts, 0),
        )

    groups = {}
    for row in GROUPS:
        fields = {k: v for k, v in row.items() if k != "key"}
        groups[row["key"]] = group_save(assessment=assessment, user=owner, **fields)

    components = {c.key: c for c in version.components.all()}
    dimensions = {d.key: d for d in version.dimensions.all()}
    threats = {}
    for row in THREATS:
        fields = {
            k: v for k, v in row.items() if k not in ("dimension", "groups", "tags", "indicators")
        }
        threats[row["title"]] = threat_save(
            assessment=assessment,
            user=owner,
            dimension=dimensions[row["dimension"]],
            affected_groups=[groups[key] for key in row["groups"]],
            tags={components[key].pk: text for key, text in row["tags"].items()},
            indicators=row["indicators"],
            **fields,
        )

    for row in RESPONSES:
        fields = {k: v for k, v in row.items() if k not in ("threats", "group")}
        response_save(
            assessment=assessment,
            user=collaborator or owner,
            threats=[threats[title] for title in row["threats"]],
            group=groups[row["group"]],
            **fields,
        )

    assessment.refresh_from_db()
    return assessment
