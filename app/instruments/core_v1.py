"""The core instrument, version 1: four motivation scales and ten scenarios.

Invariants:
- Item and option keys never change meaning within this version; a wording change
  that changes meaning needs ``version=2``.
- Every scale has four items, at least one reverse-keyed; each page holds one item
  of each scale, in a different order, so that no page is about one motive.
- Every option's construct key follows the paper's predictions (theory/README.md,
  "Behavioural outcomes"); its reflection explains and never grades.
- Every citation points into ``shared/theory/beyond-allyship-paper.txt``.
"""

from __future__ import annotations

from app.domain.i18n import N_
from app.domain.instrument import (
    Behaviour,
    Citation,
    Instrument,
    Item,
    Motive,
    Option,
    Page,
    ResponseScale,
    Scale,
    Scenario,
    check,
)

# Section headings as they appear in the paper. The introduction is headed by the
# paper's title, as usual in APA manuscripts (line 24).
INTRO = (
    "Beyond allyship: Motivations for advantaged group members to engage in action for "
    "disadvantaged groups"
)
FOUNDATIONS = "Theoretical foundations for the motivations, antecedents, and behavioral outcomes"
OUTGROUP = "Outgroup-focused motivation"
INGROUP = "Ingroup-focused motivation"
PERSONAL = "Personal motivation"
MORALITY = "Morality motivation"
OUTCOMES = "Behavioral outcomes"
FUTURE = "Theoretical contributions and directions for future research"

DROOGENDYK = "Droogendyk et al., 2016"

# Passages cited more than once.
HELPFUL_ALLY = Citation(1904, 1920, OUTCOMES, DROOGENDYK)
HARMFUL_ALLY = Citation(1922, 1941, OUTCOMES, DROOGENDYK)
WAVERING = Citation(1943, 1955, OUTCOMES)
UNEQUAL_RISK = Citation(1771, 1792, OUTCOMES, DROOGENDYK)

OG, IG, PE, MO = Motive.OUTGROUP, Motive.INGROUP, Motive.PERSONAL, Motive.MORALITY
B = Behaviour

AGREE7 = ResponseScale(
    key="agree7",
    labels=(
        N_("Strongly disagree"),
        N_("Disagree"),
        N_("Somewhat disagree"),
        N_("Neither agree nor disagree"),
        N_("Somewhat agree"),
        N_("Agree"),
        N_("Strongly agree"),
    ),
)

SCALES = (
    Scale(
        key="outgroup",
        motive=OG,
        name=N_("The status of the group you support"),
        definition=N_(
            "Acting mainly to improve the status and rights of the group you support, "
            "even when it costs your own group something. The research calls this "
            "outgroup-focused motivation."
        ),
        cite=Citation(474, 488, OUTGROUP),
        min_items=3,
    ),
    Scale(
        key="ingroup",
        motive=IG,
        name=N_("The standing of your own group"),
        definition=N_(
            "Supporting the group you act for while your own group keeps its place: from "
            "support that stops at a certain line, to action that helps your own group look "
            "good. The research calls this ingroup-focused motivation."
        ),
        cite=Citation(1184, 1201, INGROUP),
        min_items=3,
    ),
    Scale(
        key="personal",
        motive=PE,
        name=N_("Your personal needs"),
        definition=N_(
            "Acting in ways that also meet your own needs, such as a good reputation, being "
            "liked, or your career. The research calls this personal motivation."
        ),
        cite=Citation(1205, 1249, PERSONAL),
        min_items=3,
    ),
    Scale(
        key="morality",
        motive=MO,
        name=N_("Your moral principles"),
        definition=N_(
            "Acting because it is right: the situation breaks principles you hold, such as "
            "fairness or avoiding harm, which for you apply whoever is affected. The research "
            "calls this morality motivation."
        ),
        cite=Citation(1400, 1432, MORALITY),
        min_items=3,
    ),
)

ITEMS = (
    # Outgroup-focused: improve their status, even at a cost to one's own group.
    Item(
        key="og1",
        scale="outgroup",
        text=N_("My main goal is to improve the situation of {outgroup}."),
        cite=Citation(343, 351, FOUNDATIONS),
    ),
    Item(
        key="og2",
        scale="outgroup",
        text=N_("I support changes for {outgroup}, even at a cost to {ingroup}."),
        cite=Citation(474, 488, OUTGROUP),
    ),
    Item(
        key="og3",
        scale="outgroup",
        text=N_("Improving life for {outgroup} is only a small part of why I act."),
        cite=Citation(792, 800, OUTGROUP),
        reverse=True,
    ),
    Item(
        key="og4",
        scale="outgroup",
        text=N_("I act so that {outgroup} gain more control over decisions that affect them."),
        cite=Citation(1636, 1645, OUTCOMES),
    ),
    # Ingroup-focused: from support "up to a line" to action that polishes the ingroup.
    Item(
        key="ig1",
        scale="ingroup",
        text=N_("I want to show that {ingroup} can be part of the solution."),
        cite=Citation(941, 956, INGROUP),
    ),
    Item(
        key="ig2",
        scale="ingroup",
        text=N_("How others see {ingroup} matters little to me when I act."),
        cite=Citation(941, 956, INGROUP),
        reverse=True,
    ),
    Item(
        key="ig3",
        scale="ingroup",
        text=N_("I support {cause}, as long as {ingroup} can keep what they have worked for."),
        cite=Citation(825, 855, INGROUP),
    ),
    Item(
        key="ig4",
        scale="ingroup",
        text=N_("I act because people like me should protect {outgroup}."),
        cite=Citation(1119, 1139, INGROUP),
    ),
    # Personal: reputation, popularity, career, good feelings.
    Item(
        key="pe1",
        scale="personal",
        text=N_("It matters to me that people I know see me taking part."),
        cite=Citation(1268, 1276, PERSONAL),
    ),
    Item(
        key="pe2",
        scale="personal",
        text=N_("Working on {cause} could help my career."),
        cite=Citation(1246, 1249, PERSONAL),
    ),
    Item(
        key="pe3",
        scale="personal",
        text=N_("I take part partly for the good feeling it gives me."),
        cite=Citation(1319, 1339, PERSONAL),
    ),
    Item(
        key="pe4",
        scale="personal",
        text=N_("I would keep taking part even if no one knew about it."),
        cite=Citation(1885, 1896, OUTCOMES),
        reverse=True,
    ),
    # Morality: because it is right; fairness, harm, principles whoever is affected.
    Item(
        key="mo1",
        scale="morality",
        text=N_("For me, working on {cause} is more a practical matter than a moral one."),
        cite=Citation(1389, 1399, MORALITY),
        reverse=True,
    ),
    Item(
        key="mo2",
        scale="morality",
        text=N_("I would act the same way for any group that was treated unfairly."),
        cite=Citation(1416, 1442, MORALITY),
    ),
    Item(
        key="mo3",
        scale="morality",
        text=N_("When I see people being harmed, I feel I have to act."),
        cite=Citation(1400, 1406, MORALITY),
    ),
    Item(
        key="mo4",
        scale="morality",
        text=N_("I take part because it is simply the right thing to do."),
        cite=Citation(1426, 1432, MORALITY),
    ),
)

# One item of each scale per page, in a different order on each page, with one
# reverse-keyed item per page.
PAGES = (
    Page(key="p1", items=("og1", "pe1", "mo1", "ig1")),
    Page(key="p2", items=("ig2", "mo2", "og2", "pe2")),
    Page(key="p3", items=("pe3", "og3", "ig3", "mo3")),
    Page(key="p4", items=("mo4", "ig4", "pe4", "og4")),
)

SCENARIOS = (
    Scenario(
        key="march",
        title=N_("A march in the rain"),
        vignette=N_(
            "You had planned to join a march for {cause} on Saturday, led by {outgroup}. "
            "Now the forecast says cold rain all afternoon, and friends have invited you to "
            "something fun at the same time."
        ),
        question=N_("In your own life, what decides whether you show up on a difficult day?"),
        cite=WAVERING,
        options=(
            Option(
                key="a",
                text=N_("I go and march the whole route, wherever the organizers need me."),
                motives={OG: 0.8, MO: 0.4},
                tags=frozenset({B.FOLLOWS_LEAD, B.PUBLIC, B.NORMATIVE}),
                reflection=N_(
                    "Going where the organizers need you follows the lead of {outgroup}, "
                    "which the research counts among helpful behaviours. Being there in bad "
                    "weather is the opposite of support that comes only when it is easy."
                ),
                cite=Citation(1904, 1930, OUTCOMES, DROOGENDYK),
            ),
            Option(
                key="b",
                text=N_(
                    "I join for the first hour and post photos to show my support, "
                    "then meet my friends."
                ),
                motives={PE: 0.8, IG: 0.3},
                tags=frozenset({B.UNCOMMITTED, B.PUBLIC, B.NORMATIVE}),
                reflection=N_(
                    "Going for part of the time still adds to the crowd, and many people do "
                    "it. The research notes that when support depends on time, weather or "
                    "what friends are doing, it tends to come and go."
                ),
                cite=WAVERING,
            ),
            Option(
                key="c",
                text=N_(
                    "I go with other {ingroup} and carry a banner saying that we support {cause}."
                ),
                motives={IG: 0.8, PE: 0.3},
                tags=frozenset({B.PUBLIC, B.NORMATIVE}),
                reflection=N_(
                    "Studies find that people from an advantaged group who speak up for a "
                    "cause can be more convincing to others than the people it affects. A "
                    "banner about {ingroup} also moves some attention to {ingroup}, so the "
                    "organizers may have a view on it."
                ),
                cite=Citation(122, 146, INTRO),
            ),
            Option(
                key="d",
                text=N_(
                    "I skip the march and give the organizers the money I would have spent "
                    "that day."
                ),
                motives={OG: 0.5, PE: 0.4},
                tags=frozenset({B.PRIVATE, B.AUTONOMY_HELP}),
                reflection=N_(
                    "Money that the organizers spend as they decide leaves the choices with "
                    "{outgroup}, which the research calls autonomy-oriented help. A march "
                    "also needs people in the street, and only the organizers know which "
                    "they need more."
                ),
                cite=Citation(1636, 1645, OUTCOMES),
            ),
        ),
    ),
    Scenario(
        key="community_centre",
        title=N_("Money for a community centre"),
        vignette=N_(
            "An organization run by {outgroup} asks your group for help with its community "
            "centre. Your group has raised some money, and members disagree on how to use it."
        ),
        question=N_("In your choice, who decided what {outgroup} need?"),
        cite=Citation(1636, 1651, OUTCOMES),
        options=(
            Option(
                key="a",
                text=N_(
                    "I suggest we buy the supplies the centre seems to need and deliver "
                    "them ourselves."
                ),
                motives={IG: 0.6, MO: 0.5},
                tags=frozenset({B.DEPENDENCY_HELP, B.PUBLIC}),
                reflection=N_(
                    "Supplies meet a need fast, and the research notes that help like this "
                    "can be what is needed when basic needs are urgent. As a long-term "
                    "answer it leaves the giver deciding what people need, and questions of "
                    "dignity grow."
                ),
                cite=Citation(2235, 2244, FUTURE),
            ),
            Option(
                key="b",
                text=N_(
                    "I suggest we pay for a training course for the centre's staff, so the "
                    "help lasts."
                ),
                motives={OG: 0.5, MO: 0.5},
                tags=frozenset({B.AUTONOMY_HELP}),
                reflection=N_(
                    "Training builds people's own means to solve problems, which the "
                    "research calls autonomy-oriented help. In one study of help for "
                    "refugees, both refugees and Germans saw this kind of help as more "
                    "likely to bring real improvement."
                ),
                cite=Citation(1657, 1669, OUTCOMES, "Becker et al., 2018"),
            ),
            Option(
                key="c",
                text=N_(
                    "I suggest we give the money to the organization and let its members "
                    "decide how to use it."
                ),
                motives={OG: 1.0, MO: 0.3},
                tags=frozenset({B.AUTONOMY_HELP, B.FOLLOWS_LEAD, B.PRIVATE}),
                reflection=N_(
                    "Money the organization spends as it decides leaves the choices with "
                    "{outgroup}, which is the core of autonomy-oriented help. It is also "
                    "less visible: few people will see your group's part in it."
                ),
                cite=Citation(1636, 1645, OUTCOMES),
            ),
            Option(
                key="d",
                text=N_(
                    "I suggest a public collection of goods for the centre, so more people "
                    "see the need and take part."
                ),
                motives={PE: 0.5, IG: 0.5},
                tags=frozenset({B.DEPENDENCY_HELP, B.PUBLIC, B.NORMATIVE}),
                reflection=N_(
                    "A public collection brings more people in and shows support openly. In "
                    "one study, people who wanted their country to be seen in a moral light "
                    "were more likely to give help of this kind, which serves that aim best "
                    "when others can see it."
                ),
                cite=Citation(1873, 1883, OUTCOMES, "Becker et al., 2018"),
            ),
        ),
    ),
    Scenario(
        key="petition",
        title=N_("A petition in strong words"),
        vignette=N_(
            "A group of {outgroup} has started a petition for {cause}. You agree with what "
            "it asks for, but you think its angry tone may make {ingroup} you know less "
            "likely to sign."
        ),
        question=N_(
            "When you disagree with how {outgroup} say something, what do you usually do "
            "with that feeling?"
        ),
        cite=HARMFUL_ALLY,
        options=(
            Option(
                key="a",
                text=N_("I sign it and share it as it is, with a few words on why it matters."),
                motives={OG: 0.8, MO: 0.3},
                tags=frozenset({B.AMPLIFIES_VOICES, B.NORMATIVE, B.PUBLIC}),
                reflection=N_(
                    "Sharing the words of {outgroup} as they wrote them amplifies their "
                    "voices, one of the helpful behaviours the research lists. Your own few "
                    "words may help {ingroup} you know to listen."
                ),
                cite=HELPFUL_ALLY,
            ),
            Option(
                key="b",
                text=N_(
                    "I write a gentler petition of my own that {ingroup} will find easier to sign."
                ),
                motives={IG: 0.7, PE: 0.3},
                tags=frozenset({B.CO_OPTS, B.NORMATIVE}),
                reflection=N_(
                    "A softer version may reach more {ingroup}. It also replaces the words "
                    "of {outgroup} with yours, and the research notes that this can blur or "
                    "weaken a movement's message."
                ),
                cite=HARMFUL_ALLY,
            ),
            Option(
                key="c",
                text=N_("I sign it quietly and do not share it, to avoid arguments with friends."),
                motives={PE: 0.7, IG: 0.3},
                tags=frozenset({B.PRIVATE, B.NORMATIVE}),
                reflection=N_(
                    "Your name still counts, and private actions are real actions. The "
                    "research notes that what friends think can shape how far people go, "
                    "in either direction."
                ),
                cite=WAVERING,
            ),
            Option(
                key="d",
                text=N_(
                    "I sign it and send the authors some ideas on wording that might "
                    "persuade more people."
                ),
                motives={IG: 0.5, PE: 0.4},
                tags=frozenset({B.UNWANTED_ADVICE, B.NORMATIVE, B.PRIVATE}),
                reflection=N_(
                    "Your ideas may be good, and some authors welcome them when they have "
                    "asked. Advice that was not asked for, given in the hope of being "
                    "followed, is one of the behaviours the research links to tension in "
                    "movements."
                ),
                cite=HARMFUL_ALLY,
            ),
        ),
    ),
    Scenario(
        key="fundraiser",
        title=N_("Thanks at the fundraiser"),
        vignette=N_(
            "You did most of the planning for a fundraising dinner for an organization run "
            "by {outgroup}. It raised more than expected. In the closing speech, the "
            "director thanks several people by name, but not you."
        ),
        question=N_("What kind of thanks, if any, keeps you going, and who do you want it from?"),
        cite=Citation(148, 160, INTRO, DROOGENDYK),
        options=(
            Option(
                key="a",
                text=N_("I say nothing about it; the evening was about the organization, not me."),
                motives={OG: 0.8, MO: 0.2},
                tags=frozenset({B.ACCOMPLICE, B.PRIVATE}),
                reflection=N_(
                    "Working in the background without needing thanks fits what the "
                    "research calls the role of an accomplice or side-kick, rather than a "
                    "hero. It is still fine to notice that you would have liked to be "
                    "thanked."
                ),
                cite=HELPFUL_ALLY,
            ),
            Option(
                key="b",
                text=N_(
                    "I tell the director, kindly, that thanking the planners would help "
                    "keep volunteers."
                ),
                motives={PE: 0.7, IG: 0.3},
                tags=frozenset({B.EXPECTS_CREDIT, B.PRIVATE}),
                reflection=N_(
                    "Thanks do help volunteers stay, and many groups try to give them. The "
                    "research notes that tension grows when supporters from an advantaged "
                    "group come to expect something back from the group they support."
                ),
                cite=Citation(148, 160, INTRO, DROOGENDYK),
            ),
            Option(
                key="c",
                text=N_("I post photos of the evening and describe my part in making it happen."),
                motives={PE: 0.8, IG: 0.2},
                tags=frozenset({B.PUBLIC}),
                reflection=N_(
                    "Posting can bring in new donors and shows your friends what you do. "
                    "The research notes that a good reputation can only be given by others, "
                    "which is why personal reasons draw people toward action that others "
                    "can see."
                ),
                cite=Citation(1885, 1896, OUTCOMES),
            ),
            Option(
                key="d",
                text=N_(
                    "I ask the director what could work better next time, and what they want from "
                    "me."
                ),
                motives={OG: 0.7, MO: 0.3},
                tags=frozenset({B.FOLLOWS_LEAD, B.PRIVATE}),
                reflection=N_(
                    "Asking what the organization wants next leaves the decision with "
                    "{outgroup}. Seeking advice and following requests are among the "
                    "helpful behaviours the research lists."
                ),
                cite=HELPFUL_ALLY,
            ),
        ),
    ),
    Scenario(
        key="criticised",
        title=N_("Criticised in a meeting"),
        vignette=N_(
            "At a planning meeting with {outgroup}, one of them says that a leaflet you wrote "
            "describes them as helpless. Several others nod. You spent many hours on that "
            "leaflet."
        ),
        question=N_(
            "What do you feel when the people you act for criticise you, and what helps you listen?"
        ),
        cite=Citation(1904, 1931, OUTCOMES, DROOGENDYK),
        options=(
            Option(
                key="a",
                text=N_(
                    "I thank them, ask what they would change, and rewrite it with their help."
                ),
                motives={OG: 0.8, MO: 0.3},
                tags=frozenset({B.ACCEPTS_CRITICISM, B.FOLLOWS_LEAD}),
                reflection=N_(
                    "Accepting criticism and asking for advice are among the behaviours the "
                    "research describes as helpful. Criticism in front of others can hurt, "
                    "and it is normal to need a moment before you reply."
                ),
                cite=HELPFUL_ALLY,
            ),
            Option(
                key="b",
                text=N_("I explain what I meant, so they can see it was written with care."),
                motives={IG: 0.5, PE: 0.5},
                tags=frozenset({B.IGNORES_IMPACT}),
                reflection=N_(
                    "Wanting to be understood is natural, especially after hours of work. "
                    "Explaining your intentions can move the talk away from how the leaflet "
                    "affects {outgroup}, and the research names not considering that effect "
                    "as a common source of tension."
                ),
                cite=Citation(1922, 1931, OUTCOMES, DROOGENDYK),
            ),
            Option(
                key="c",
                text=N_("I say little in the meeting and quietly move to other tasks afterwards."),
                motives={PE: 0.6, IG: 0.3},
                tags=frozenset({B.UNCOMMITTED, B.PRIVATE}),
                reflection=N_(
                    "Stepping away can feel like the respectful choice, and sometimes it is. "
                    "The research notes that work for social change is often stressful, and "
                    "that support resting on good feelings tends to fade when they are gone."
                ),
                cite=Citation(1331, 1339, PERSONAL),
            ),
            Option(
                key="d",
                text=N_(
                    "I agree, and suggest that one of them writes the next one while I do the "
                    "printing."
                ),
                motives={OG: 0.9, MO: 0.2},
                tags=frozenset({B.ACCEPTS_CRITICISM, B.ACCOMPLICE, B.AMPLIFIES_VOICES}),
                reflection=N_(
                    "Handing over the writing lets {outgroup} speak for themselves, and "
                    "doing the practical work is the side-kick role the research describes. "
                    "Writing is also work, so it helps to ask whether anyone wants it."
                ),
                cite=HELPFUL_ALLY,
            ),
        ),
    ),
    Scenario(
        key="step_back",
        title=N_("Asked to step back"),
        vignette=N_(
            "You have helped run a local group for {cause} for two years. Members who are "
            "{outgroup} now want to lead it themselves, and ask supporters like you to leave "
            "the committee."
        ),
        question=N_(
            "What would help you step back from a role and still feel that you belong in the work?"
        ),
        cite=Citation(1912, 1920, OUTCOMES, DROOGENDYK),
        options=(
            Option(
                key="a",
                text=N_("I leave the committee and ask where I can still be useful."),
                motives={OG: 1.0, MO: 0.3},
                tags=frozenset({B.FOLLOWS_LEAD, B.ACCOMPLICE}),
                reflection=N_(
                    "Stepping back when asked is one of the helpful behaviours the research "
                    "names. Asking where you can still help keeps your skills in the group, "
                    "on the terms of {outgroup}."
                ),
                cite=Citation(1912, 1920, OUTCOMES, DROOGENDYK),
            ),
            Option(
                key="b",
                text=N_(
                    "I agree, and offer to stay for a few months to show them how things work."
                ),
                motives={IG: 0.7, PE: 0.3},
                tags=frozenset({B.UNWANTED_ADVICE, B.DEPENDENCY_HELP}),
                reflection=N_(
                    "A handover can help, and the offer comes from care. The research notes "
                    "that wanting to look after and guide a group can also keep it relying "
                    "on the people who offer the care."
                ),
                cite=Citation(1119, 1139, INGROUP),
            ),
            Option(
                key="c",
                text=N_("I step down and leave the group, since my part in it is over."),
                motives={PE: 0.6, IG: 0.3},
                tags=frozenset({B.UNCOMMITTED}),
                reflection=N_(
                    "Leaving fully gives the new leaders space. It may also take away support "
                    "they still wanted: the research notes that support which ends when it "
                    "stops being convenient is hard for a movement to rely on."
                ),
                cite=Citation(1922, 1931, OUTCOMES, DROOGENDYK),
            ),
            Option(
                key="d",
                text=N_("I ask for a vote of all members, so the decision is fair to everyone."),
                motives={MO: 0.7, IG: 0.4},
                tags=frozenset({B.IGNORES_IMPACT}),
                reflection=N_(
                    "Equal rules for everyone can feel like the principled way. Here a vote "
                    "would also keep part of the decision with {ingroup}, when {outgroup} "
                    "have asked to make it themselves; the research lists following such "
                    "requests among helpful behaviours."
                ),
                cite=Citation(1912, 1920, OUTCOMES, DROOGENDYK),
            ),
        ),
    ),
    Scenario(
        key="press",
        title=N_("A reporter calls"),
        vignette=N_(
            "A local TV reporter wants to interview someone about your group's campaign for "
            "{cause}. The reporter asks for you by name, because you spoke well at a public "
            "event last month."
        ),
        question=N_("When you are offered a chance to be seen, what goes through your mind first?"),
        cite=Citation(1851, 1871, OUTCOMES),
        options=(
            Option(
                key="a",
                text=N_(
                    "I ask the group to choose a spokesperson from among {outgroup}, and offer "
                    "to help them prepare if they want."
                ),
                motives={OG: 1.0, MO: 0.3},
                tags=frozenset({B.AMPLIFIES_VOICES, B.ACCOMPLICE, B.PRIVATE}),
                reflection=N_(
                    "Passing the chance on amplifies the voices of {outgroup}, one of the "
                    "helpful behaviours the research lists. The reporter may still ask for "
                    "you, and you can explain why someone else should speak."
                ),
                cite=HELPFUL_ALLY,
            ),
            Option(
                key="b",
                text=N_(
                    "I do the interview; a voice like mine may reach {ingroup} who would not "
                    "listen otherwise."
                ),
                motives={IG: 0.5, MO: 0.4, PE: 0.3},
                tags=frozenset({B.PUBLIC, B.NO_GUIDANCE}),
                reflection=N_(
                    "Studies find that people from an advantaged group who speak against "
                    "prejudice can be more convincing to others, so the reasoning is real. "
                    "The same passage warns that supporters can end up at the centre of "
                    "attention in a movement that {outgroup} lead."
                ),
                cite=Citation(122, 160, INTRO),
            ),
            Option(
                key="c",
                text=N_(
                    "I do the interview together with one of the {outgroup}, and let them "
                    "speak first."
                ),
                motives={OG: 0.6, PE: 0.3, IG: 0.2},
                tags=frozenset({B.PUBLIC, B.AMPLIFIES_VOICES}),
                reflection=N_(
                    "Appearing together can reach a wide audience while keeping {outgroup} "
                    "in view. Who chooses the format matters too: the research lists "
                    "seeking advice from {outgroup} among helpful behaviours."
                ),
                cite=HELPFUL_ALLY,
            ),
            Option(
                key="d",
                text=N_(
                    "I accept; it is a good chance to learn to speak in public, and I know "
                    "the key points."
                ),
                motives={PE: 0.9},
                tags=frozenset({B.PUBLIC, B.SEEKS_TO_LEAD}),
                reflection=N_(
                    "Speaking in public is a real skill, and wanting to grow is an ordinary "
                    "reason to say yes. The research notes that being the spokesperson is "
                    "one of the roles that bring personal recognition, which is why it draws "
                    "people with personal reasons."
                ),
                cite=Citation(1692, 1702, OUTCOMES),
            ),
        ),
    ),
    Scenario(
        key="sit_in",
        title=N_("A sit-in with unequal risks"),
        vignette=N_(
            "Your group, led by {outgroup}, plans a sit-in that will block the entrance to a "
            "government office. "
            "Police are likely to make arrests, and an arrest may be far more dangerous for "
            "{outgroup} than for {ingroup}."
        ),
        question=N_(
            "In the actions you take part in, who carries the risk, and who decides how much "
            "risk is acceptable?"
        ),
        cite=Citation(1771, 1804, OUTCOMES),
        options=(
            Option(
                key="a",
                text=N_(
                    "I join and offer to sit where arrests are most likely, since I have "
                    "more protection."
                ),
                motives={MO: 0.7, OG: 0.6},
                tags=frozenset({B.NON_NORMATIVE, B.PUBLIC, B.ACCOMPLICE}),
                reflection=N_(
                    "Using the protection {ingroup} have to take risks that others cannot "
                    "is one way to act as an accomplice. The research adds that disruptive "
                    "action can still bring costs for {outgroup} and for the movement, so it "
                    "is worth checking that they want this."
                ),
                cite=UNEQUAL_RISK,
            ),
            Option(
                key="b",
                text=N_(
                    "I ask the organizers what role they want supporters to take, and take "
                    "that role."
                ),
                motives={OG: 1.0, MO: 0.2},
                tags=frozenset({B.FOLLOWS_LEAD}),
                reflection=N_(
                    "This asks the people who carry most of the risk how far to go. The "
                    "research expects people focused on the group they support to weigh an "
                    "action's benefits against its costs for that group before acting."
                ),
                cite=Citation(1794, 1804, OUTCOMES),
            ),
            Option(
                key="c",
                text=N_(
                    "I stay out of the sit-in and help run a legal petition stall outside at "
                    "the same time."
                ),
                motives={PE: 0.6, IG: 0.5},
                tags=frozenset({B.NORMATIVE, B.PUBLIC}),
                reflection=N_(
                    "A petition stays within the usual rules and carries little risk, and it "
                    "can reach people passing by. The research expects strong personal or "
                    "group reasons to favour action within the rules, because breaking them "
                    "can cost the reputation people value."
                ),
                cite=Citation(1838, 1849, OUTCOMES),
            ),
            Option(
                key="d",
                text=N_(
                    "I argue that the group should choose a legal action instead, to protect "
                    "the movement's image."
                ),
                motives={IG: 0.6, PE: 0.3},
                tags=frozenset({B.NORMATIVE, B.UNWANTED_ADVICE}),
                reflection=N_(
                    "Concern for how the public sees a movement is real: the research notes "
                    "that disruptive action can cost a movement credibility. Those costs, "
                    "and the risk of arrest, fall hardest on {outgroup}, who may weigh them "
                    "differently."
                ),
                cite=UNEQUAL_RISK,
            ),
        ),
    ),
    Scenario(
        key="outrage_video",
        title=N_("A video that makes you furious"),
        vignette=N_(
            "A video spreading online shows officials badly mistreating a group of "
            "{outgroup}. You feel furious. The organization run by {outgroup} that you work "
            "with has not said anything yet."
        ),
        question=N_("When you feel outrage, what helps you decide what to do with it?"),
        cite=Citation(1669, 1691, OUTCOMES),
        options=(
            Option(
                key="a",
                text=N_(
                    "I start an online campaign today that names the officials and demands "
                    "that they be punished."
                ),
                motives={MO: 1.0},
                tags=frozenset({B.NO_GUIDANCE, B.PUBLIC}),
                reflection=N_(
                    "Outrage at a clear injustice gives action great energy. The research "
                    "notes that it can also lead people to focus on punishment without "
                    "asking the people affected, and that such action can bring them new "
                    "harm."
                ),
                cite=Citation(1669, 1691, OUTCOMES),
            ),
            Option(
                key="b",
                text=N_(
                    "I contact the organization and ask what, if anything, they want from "
                    "supporters."
                ),
                motives={OG: 1.0, MO: 0.3},
                tags=frozenset({B.FOLLOWS_LEAD, B.PRIVATE}),
                reflection=N_(
                    "Asking first leaves the response with the people most affected, which "
                    "the research counts among helpful behaviours. It can feel slow while "
                    "you are angry, and the organization may need time to decide."
                ),
                cite=HELPFUL_ALLY,
            ),
            Option(
                key="c",
                text=N_("I share the video with a post about how angry it makes me."),
                motives={MO: 0.5, PE: 0.4},
                tags=frozenset({B.PUBLIC, B.IGNORES_IMPACT}),
                reflection=N_(
                    "Sharing can spread concern: in one study, posts about the death of a "
                    "refugee child were followed by more solidarity with refugees later. "
                    "The people in the video had no say in where it travels."
                ),
                cite=Citation(1481, 1489, MORALITY, "Smith et al., 2018"),
            ),
            Option(
                key="d",
                text=N_(
                    "I write to the officials' office and to my local representative, asking "
                    "for an inquiry."
                ),
                motives={MO: 0.7, IG: 0.3},
                tags=frozenset({B.NORMATIVE, B.PRIVATE}),
                reflection=N_(
                    "A letter to those in power is normative action: it keeps within the "
                    "usual rules of the system. It turns outrage into a formal demand, and "
                    "{outgroup} may have views on what kind of inquiry would help them."
                ),
                cite=Citation(1712, 1720, OUTCOMES, "Wright et al., 1990"),
            ),
        ),
    ),
    Scenario(
        key="slow_meeting",
        title=N_("A slow planning meeting"),
        vignette=N_(
            "You join a planning meeting run by {outgroup}. Things move slowly, and several "
            "decisions are left open. You have run projects like this at work and can see a "
            "faster way."
        ),
        question=N_(
            "When the people who lead do things differently from how you would, how do you "
            "tell a real problem from a different way of working?"
        ),
        cite=HARMFUL_ALLY,
        options=(
            Option(
                key="a",
                text=N_("I offer to take over the planning, so that things get done in time."),
                motives={PE: 0.5, IG: 0.5},
                tags=frozenset({B.TAKES_OVER, B.SEEKS_TO_LEAD}),
                reflection=N_(
                    "Getting things done is real help, and the offer is generous. The "
                    "research lists taking over the work and seeking to lead among the "
                    "behaviours that cause tension, because they move decisions away from "
                    "{outgroup}."
                ),
                cite=HARMFUL_ALLY,
            ),
            Option(
                key="b",
                text=N_("I explain in the meeting how I would organize it."),
                motives={IG: 0.5, PE: 0.4},
                tags=frozenset({B.UNWANTED_ADVICE}),
                reflection=N_(
                    "Your experience may be useful. Advice that was not asked for, given in "
                    "the hope of being followed, is one of the behaviours the research links "
                    "to tension; asking first turns it into an offer."
                ),
                cite=HARMFUL_ALLY,
            ),
            Option(
                key="c",
                text=N_(
                    "I mention that I have done this kind of work before, and ask whether "
                    "that would help."
                ),
                motives={OG: 0.8, MO: 0.2},
                tags=frozenset({B.FOLLOWS_LEAD, B.ACCOMPLICE}),
                reflection=N_(
                    "An offer leaves the choice with {outgroup}, and seeking their advice is "
                    "among the helpful behaviours the research lists. They may say no, and a "
                    "slower way may be one they chose on purpose."
                ),
                cite=HELPFUL_ALLY,
            ),
            Option(
                key="d",
                text=N_(
                    "I wait to see whether the group gets organized before I give it more of "
                    "my time."
                ),
                motives={PE: 0.7},
                tags=frozenset({B.UNCOMMITTED}),
                reflection=N_(
                    "Protecting your time is reasonable. The research notes that when "
                    "support depends on how much time and effort an action takes, it tends "
                    "to come and go."
                ),
                cite=WAVERING,
            ),
        ),
    ),
)

CORE = check(
    Instrument(
        key="core",
        version=1,
        response_scale=AGREE7,
        scales=SCALES,
        items=ITEMS,
        pages=PAGES,
        scenarios=SCENARIOS,
    )
)
