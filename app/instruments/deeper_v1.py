"""The "Go deeper" module, version 1: the antecedents of Table 1, offered after the core.

Invariants:
- One scale per antecedent in Table 1 of Radke et al. (2020) (line 2319 on); no
  scale measures a motive (``motive=None``), and each scores from two answers.
- Every scale has three or four items in our own words, first person, under 20
  words with every cause preset; items are keyed so that a higher scale score
  means more of the construct named by the scale key (``low_stereotyping``: a
  higher score means less negative stereotyping and prejudice).
- Item and page keys never change meaning within this version; a wording change
  that changes meaning needs ``version=2``.
- Pages p1-p5 hold ten items of ten different scales each, one to three of them
  reverse-keyed; the two sensitive scales (``sdo``, ``narcissism``) sit together on
  the last page only, so that the app can mark it optional and introduce it with
  ``SENSITIVE_INTRO``.
- ``LINKS`` names, for every scale, the motivation(s) Table 1 links a *higher*
  score to; where the paper also links the low end (ingroup identification),
  ``EXPLAIN`` says so in words. ``EXPLAIN`` hedges and never judges, and
  ``EXPLAIN_CITES`` gives the passage each explanation rests on.
- Every citation points into ``shared/theory/beyond-allyship-paper.txt``.
"""

from __future__ import annotations

from app.domain.i18n import N_
from app.domain.instrument import Citation, Instrument, Item, Motive, Page, Scale, check
from app.instruments.core_v1 import (
    CORE,
    FOUNDATIONS,
    INGROUP,
    MORALITY,
    OUTCOMES,
    OUTGROUP,
    PERSONAL,
)

TABLE_1 = "Table 1"

OG, IG, PE, MO = Motive.OUTGROUP, Motive.INGROUP, Motive.PERSONAL, Motive.MORALITY

SCALES = (
    # Identification.
    Scale(
        key="ingroup_identification",
        name=N_("Belonging to your own group"),
        definition=N_(
            "How strongly you feel part of your own group and keep its interests in mind. "
            "The research calls this ingroup identification and proposes a higher level of "
            "it as one root of ingroup-focused motivation."
        ),
        cite=Citation(888, 900, INGROUP),
        min_items=2,
    ),
    Scale(
        key="disidentification",
        name=N_("Distance from your own group"),
        definition=N_(
            "Pulling away from your own group in your mind, to the point of wishing you did "
            "not belong to it. The research calls this disidentification and proposes it as "
            "one root of outgroup-focused motivation."
        ),
        cite=Citation(525, 537, OUTGROUP),
        min_items=2,
    ),
    Scale(
        key="politicized_identification",
        name=N_("Belonging to the movement"),
        definition=N_(
            "Feeling part of the movement for the cause: a group that includes people from "
            "both groups and works to improve the status of the group you support. The "
            "research calls this politicized identification and proposes it as one root of "
            "outgroup-focused motivation."
        ),
        cite=Citation(602, 612, OUTGROUP),
        min_items=2,
    ),
    Scale(
        key="personal_identification",
        name=N_("Seeing yourself as an individual"),
        definition=N_(
            "Seeing yourself mainly as a unique individual, more than as a member of a group. "
            "The research calls this personal identification and proposes it as one root of "
            "personal motivation."
        ),
        cite=Citation(1284, 1305, PERSONAL),
        min_items=2,
    ),
    # Emotions.
    Scale(
        key="group_anger",
        name=N_("Anger at unfair treatment"),
        definition=N_(
            "Anger you feel because a group is treated unfairly, aimed at people in power and "
            "at those who discriminate. The research calls this group-based anger and "
            "proposes it as one root of outgroup-focused motivation."
        ),
        cite=Citation(647, 668, OUTGROUP),
        min_items=2,
    ),
    Scale(
        key="group_guilt",
        name=N_("Guilt on behalf of your group"),
        definition=N_(
            "Guilt you feel as a member of your own group, because your group shares "
            "responsibility for how the group you support is treated. The research calls "
            "this group-based guilt and proposes it as one root of ingroup-focused motivation."
        ),
        cite=Citation(958, 970, INGROUP),
        min_items=2,
    ),
    Scale(
        key="sympathy",
        name=N_("Feeling sorry for the group you support"),
        definition=N_(
            "Feeling sorry for the group you support: seeing their hardship as unfair, but "
            "as unlikely to change. The research proposes sympathy as one root of "
            "ingroup-focused motivation."
        ),
        cite=Citation(1025, 1052, INGROUP),
        min_items=2,
    ),
    Scale(
        key="positive_emotions",
        name=N_("Joy and pride in taking part"),
        definition=N_(
            "Good feelings, such as joy and pride, that come with taking part. The research "
            "proposes these positive emotions as one root of personal motivation."
        ),
        cite=Citation(1319, 1339, PERSONAL),
        min_items=2,
    ),
    Scale(
        key="moral_outrage",
        name=N_("Moral outrage"),
        definition=N_(
            "Anger at something you see as breaking a moral standard. The research calls "
            "this moral outrage and proposes it as one root of morality motivation."
        ),
        cite=Citation(1547, 1579, MORALITY),
        min_items=2,
    ),
    # Beliefs and attitudes.
    Scale(
        key="low_stereotyping",
        name=N_("Rejecting negative stereotypes"),
        definition=N_(
            "Rejecting negative stereotypes about the group you support, and holding little "
            "prejudice towards them. The research proposes this, together with awareness of "
            "privilege, as one root of outgroup-focused motivation."
        ),
        cite=Citation(702, 719, OUTGROUP),
        min_items=2,
    ),
    Scale(
        key="privilege_awareness",
        name=N_("Awareness of privilege"),
        definition=N_(
            "Noticing the unearned advantages your own group gets, and how they are linked "
            "to the disadvantages of the group you support. The research calls this "
            "privilege awareness and proposes a higher level of it as one root of "
            "outgroup-focused motivation."
        ),
        cite=Citation(721, 737, OUTGROUP),
        min_items=2,
    ),
    Scale(
        key="zero_sum",
        name=N_("One group's gain, another's loss"),
        definition=N_(
            "The belief that when the group you support gains something, your own group "
            "loses as much. The research calls these zero-sum beliefs and proposes them as "
            "one root of ingroup-focused motivation."
        ),
        cite=Citation(1074, 1088, INGROUP),
        min_items=2,
    ),
    Scale(
        key="paternalism",
        name=N_("Taking care of the group you support"),
        definition=N_(
            "Supporting the group you act for on the understanding that your own group takes "
            "care of them and provides for them. The research calls these paternalistic "
            "beliefs and proposes them as one root of ingroup-focused motivation."
        ),
        cite=Citation(1119, 1139, INGROUP),
        min_items=2,
    ),
    Scale(
        key="sdo",
        name=N_("Views on equality between groups"),
        definition=N_(
            "A general preference for how groups in society relate: as equals, or in an "
            "order with some groups above others. The research calls this social dominance "
            "orientation and proposes a preference for order as one root of ingroup-focused "
            "motivation."
        ),
        cite=Citation(1141, 1156, INGROUP),
        min_items=2,
        sensitive=True,
    ),
    Scale(
        key="individualism",
        name=N_("Putting your own goals first"),
        definition=N_(
            "A way of seeing the world that centres on the self: your own goals, being "
            "unique, and making your own choices. The research calls this individualism and "
            "proposes it as one root of personal motivation."
        ),
        cite=Citation(1341, 1361, PERSONAL),
        min_items=2,
    ),
    Scale(
        key="narcissism",
        name=N_("Enjoying attention"),
        definition=N_(
            "Enjoying attention, feeling you deserve recognition, and a high sense of your own "
            "worth. The research calls this narcissism and, more tentatively, proposes it as "
            "one root of personal motivation."
        ),
        cite=Citation(1341, 1373, PERSONAL),
        min_items=2,
        sensitive=True,
    ),
    # Morality.
    Scale(
        key="moral_conviction",
        name=N_("Beliefs about right and wrong"),
        definition=N_(
            "Beliefs about right and wrong, such as fairness or avoiding harm, that you hold "
            "as true for everyone, everywhere. The research calls these moral beliefs and "
            "proposes them as the main root of morality motivation."
        ),
        cite=Citation(1389, 1432, MORALITY),
        min_items=2,
    ),
)

ITEMS = (
    # Ingroup identification: a bond with one's own group and its interests.
    Item(
        key="iid1",
        scale="ingroup_identification",
        text=N_("I feel a strong bond with other {ingroup}."),
        cite=Citation(888, 900, INGROUP),
    ),
    Item(
        key="iid2",
        scale="ingroup_identification",
        text=N_("I feel good about {ingroup} as a group."),
        cite=Citation(500, 510, OUTGROUP),
    ),
    Item(
        key="iid3",
        scale="ingroup_identification",
        text=N_("What happens to {ingroup} as a group matters little to me."),
        cite=Citation(888, 900, INGROUP),
        reverse=True,
    ),
    # Disidentification: distancing from a group one wishes one did not belong to.
    Item(
        key="dis1",
        scale="disidentification",
        text=N_("Sometimes I would rather not be grouped with other {ingroup}."),
        cite=Citation(525, 531, OUTGROUP),
    ),
    Item(
        key="dis2",
        scale="disidentification",
        text=N_("I try to keep my distance from the way many {ingroup} behave."),
        cite=Citation(525, 537, OUTGROUP),
    ),
    Item(
        key="dis3",
        scale="disidentification",
        text=N_("I am comfortable being grouped with other {ingroup}."),
        cite=Citation(525, 531, OUTGROUP),
        reverse=True,
    ),
    # Politicized identification: the movement, shared with the group it serves.
    Item(
        key="pol1",
        scale="politicized_identification",
        text=N_("I see myself as part of the movement for {cause}."),
        cite=Citation(584, 600, OUTGROUP),
    ),
    Item(
        key="pol2",
        scale="politicized_identification",
        text=N_("I feel close to everyone who works on {cause}, whatever group they come from."),
        cite=Citation(602, 612, OUTGROUP),
    ),
    Item(
        key="pol3",
        scale="politicized_identification",
        text=N_("When I say 'we', I often mean everyone working on {cause}."),
        cite=Citation(613, 641, OUTGROUP),
    ),
    Item(
        key="pol4",
        scale="politicized_identification",
        text=N_("I support {cause} without feeling part of any movement."),
        cite=Citation(584, 600, OUTGROUP),
        reverse=True,
    ),
    # Personal identification: the self as a unique individual.
    Item(
        key="pid1",
        scale="personal_identification",
        text=N_("I think of myself mainly as an individual, more than as part of a group."),
        cite=Citation(312, 321, FOUNDATIONS),
    ),
    Item(
        key="pid2",
        scale="personal_identification",
        text=N_("The groups I belong to say more about who I am than my personal qualities."),
        cite=Citation(1278, 1292, PERSONAL),
        reverse=True,
    ),
    Item(
        key="pid3",
        scale="personal_identification",
        text=N_("For me, working on {cause} is mostly one person helping another."),
        cite=Citation(1292, 1305, PERSONAL),
    ),
    # Group-based anger: at unfair treatment, aimed at power and at discrimination.
    Item(
        key="ang1",
        scale="group_anger",
        text=N_("I feel angry about the way {outgroup} are treated."),
        cite=Citation(647, 655, OUTGROUP),
    ),
    Item(
        key="ang2",
        scale="group_anger",
        text=N_("It makes me angry that people in power allow unfair treatment of {outgroup}."),
        cite=Citation(647, 655, OUTGROUP),
    ),
    Item(
        key="ang3",
        scale="group_anger",
        text=N_("I feel angry at {ingroup} who treat {outgroup} unfairly."),
        cite=Citation(647, 655, OUTGROUP),
    ),
    Item(
        key="ang4",
        scale="group_anger",
        text=N_("When I hear about unfair treatment of {outgroup}, I rarely feel angry."),
        cite=Citation(647, 655, OUTGROUP),
        reverse=True,
    ),
    # Group-based guilt: one's group is responsible; action as restitution.
    Item(
        key="gui1",
        scale="group_guilt",
        text=N_("I feel guilty about how {ingroup} have treated {outgroup}."),
        cite=Citation(960, 970, INGROUP),
    ),
    Item(
        key="gui2",
        scale="group_guilt",
        text=N_("People like me are partly to blame for how {outgroup} are treated."),
        cite=Citation(960, 970, INGROUP),
    ),
    Item(
        key="gui3",
        scale="group_guilt",
        text=N_("Working on {cause} eases the guilt I feel about what {ingroup} have done."),
        cite=Citation(998, 1009, INGROUP),
    ),
    # Sympathy: feeling sorry for them; their plight seen as unlikely to change.
    Item(
        key="sym1",
        scale="sympathy",
        text=N_("I feel sorry for {outgroup} because of what they go through."),
        cite=Citation(1062, 1066, INGROUP),
    ),
    Item(
        key="sym2",
        scale="sympathy",
        text=N_("Hearing about the hardships of {outgroup} makes me sad for them."),
        cite=Citation(1025, 1043, INGROUP),
    ),
    Item(
        key="sym3",
        scale="sympathy",
        text=N_("I feel sad that the situation of {outgroup} seems unlikely to change."),
        cite=Citation(1025, 1031, INGROUP),
    ),
    # Positive emotions: joy and pride; they may fade when the work is stressful.
    Item(
        key="pos1",
        scale="positive_emotions",
        text=N_("Working on {cause} brings me real joy."),
        cite=Citation(1319, 1329, PERSONAL),
    ),
    Item(
        key="pos2",
        scale="positive_emotions",
        text=N_("I feel proud of myself when I work on {cause}."),
        cite=Citation(1319, 1329, PERSONAL),
    ),
    Item(
        key="pos3",
        scale="positive_emotions",
        text=N_("Working on {cause} feels more stressful than joyful to me."),
        cite=Citation(1331, 1339, PERSONAL),
        reverse=True,
    ),
    # Moral outrage: anger at a broken moral standard, such as harm.
    Item(
        key="out1",
        scale="moral_outrage",
        text=N_("I feel outraged when I see people harmed, whoever they are."),
        cite=Citation(1400, 1406, MORALITY),
    ),
    Item(
        key="out2",
        scale="moral_outrage",
        text=N_("The treatment of {outgroup} outrages me because it is morally wrong."),
        cite=Citation(1547, 1559, MORALITY),
    ),
    Item(
        key="out3",
        scale="moral_outrage",
        text=N_("I usually stay calm when I see something morally wrong."),
        cite=Citation(1542, 1549, MORALITY),
        reverse=True,
    ),
    # Low negative stereotyping and prejudice: agreeing means less of both.
    Item(
        key="ste1",
        scale="low_stereotyping",
        text=N_("Most of the negative things people say about {outgroup} are simply not true."),
        cite=Citation(702, 705, OUTGROUP),
    ),
    Item(
        key="ste2",
        scale="low_stereotyping",
        text=N_("Some common beliefs about what {outgroup} are like are partly true."),
        cite=Citation(702, 705, OUTGROUP),
        reverse=True,
    ),
    Item(
        key="ste3",
        scale="low_stereotyping",
        text=N_("I see {outgroup} as individuals more than as a group."),
        cite=Citation(702, 705, OUTGROUP),
    ),
    Item(
        key="ste4",
        scale="low_stereotyping",
        text=N_("I feel as warmly towards {outgroup} as towards {ingroup}."),
        cite=Citation(702, 705, OUTGROUP),
    ),
    # Privilege awareness: unearned advantages, and their link to the others' hardship.
    Item(
        key="pri1",
        scale="privilege_awareness",
        text=N_("I have advantages in life that {ingroup} get without earning them."),
        cite=Citation(721, 731, OUTGROUP),
    ),
    Item(
        key="pri2",
        scale="privilege_awareness",
        text=N_("The advantages of {ingroup} add to the hardships of {outgroup}."),
        cite=Citation(731, 737, OUTGROUP),
    ),
    Item(
        key="pri3",
        scale="privilege_awareness",
        text=N_("I rarely notice the advantages that {ingroup} like me have."),
        cite=Citation(725, 731, OUTGROUP),
        reverse=True,
    ),
    # Zero-sum beliefs: their gain is our loss.
    Item(
        key="zs1",
        scale="zero_sum",
        text=N_("When {outgroup} gain more rights, {ingroup} end up with fewer."),
        cite=Citation(1090, 1093, INGROUP),
    ),
    Item(
        key="zs2",
        scale="zero_sum",
        text=N_("More chances for {outgroup} mean fewer chances for {ingroup}."),
        cite=Citation(1076, 1088, INGROUP),
    ),
    Item(
        key="zs3",
        scale="zero_sum",
        text=N_("Life can improve for {outgroup} without getting worse for {ingroup}."),
        cite=Citation(1076, 1080, INGROUP),
        reverse=True,
    ),
    # Paternalism: the advantaged group takes care of them and judges their needs.
    Item(
        key="pat1",
        scale="paternalism",
        text=N_("I believe {ingroup} should take care of {outgroup}."),
        cite=Citation(1119, 1123, INGROUP),
    ),
    Item(
        key="pat2",
        scale="paternalism",
        text=N_("Sometimes others can judge what {outgroup} need better than they can themselves."),
        cite=Citation(1645, 1651, OUTCOMES),
    ),
    Item(
        key="pat3",
        scale="paternalism",
        text=N_("Help for {outgroup} works best when they decide how it is used."),
        cite=Citation(1636, 1645, OUTCOMES),
        reverse=True,
    ),
    # Social dominance orientation (sensitive): equal versus ordered relations between groups.
    Item(
        key="sdo1",
        scale="sdo",
        text=N_("Some inequality between groups is a normal part of life."),
        cite=Citation(1147, 1156, INGROUP),
    ),
    Item(
        key="sdo2",
        scale="sdo",
        text=N_("Trying to make every group equal causes more problems than it solves."),
        cite=Citation(1147, 1156, INGROUP),
    ),
    Item(
        key="sdo3",
        scale="sdo",
        text=N_("Society runs more smoothly when some groups lead and others follow."),
        cite=Citation(1147, 1152, INGROUP),
    ),
    Item(
        key="sdo4",
        scale="sdo",
        text=N_("I want a society where every group has an equal say."),
        cite=Citation(1147, 1152, INGROUP),
        reverse=True,
    ),
    # Individualism: own goals, uniqueness, own choices over social influence.
    Item(
        key="ind1",
        scale="individualism",
        text=N_("Reaching my own goals matters more to me than fitting in with a group."),
        cite=Citation(1351, 1357, PERSONAL),
    ),
    Item(
        key="ind2",
        scale="individualism",
        text=N_("I make my own decisions, whatever the people around me think."),
        cite=Citation(1351, 1357, PERSONAL),
    ),
    Item(
        key="ind3",
        scale="individualism",
        text=N_("Being unique matters a lot to me."),
        cite=Citation(1351, 1357, PERSONAL),
    ),
    Item(
        key="ind4",
        scale="individualism",
        text=N_("I often put what my community needs before what I want."),
        cite=Citation(1351, 1357, PERSONAL),
        reverse=True,
    ),
    # Narcissism (sensitive): enjoying attention, a sense of importance and of deserving.
    Item(
        key="nar1",
        scale="narcissism",
        text=N_("I enjoy getting attention from others."),
        cite=Citation(1363, 1373, PERSONAL),
    ),
    Item(
        key="nar2",
        scale="narcissism",
        text=N_("I think I have more to offer than most people."),
        cite=Citation(1363, 1365, PERSONAL),
    ),
    Item(
        key="nar3",
        scale="narcissism",
        text=N_("I deserve a little more recognition than I usually get."),
        cite=Citation(1363, 1365, PERSONAL),
    ),
    Item(
        key="nar4",
        scale="narcissism",
        text=N_("I would rather stay in the background."),
        cite=Citation(1363, 1373, PERSONAL),
        reverse=True,
    ),
    # Moral beliefs: right and wrong, held as universal.
    Item(
        key="mcv1",
        scale="moral_conviction",
        text=N_("My views on {cause} come from my basic sense of right and wrong."),
        cite=Citation(1389, 1399, MORALITY),
    ),
    Item(
        key="mcv2",
        scale="moral_conviction",
        text=N_("Some things are wrong everywhere, whatever the law or local custom says."),
        cite=Citation(1416, 1420, MORALITY),
    ),
    Item(
        key="mcv3",
        scale="moral_conviction",
        text=N_("It is morally wrong for some groups to have far less than others."),
        cite=Citation(1451, 1457, MORALITY),
    ),
    Item(
        key="mcv4",
        scale="moral_conviction",
        text=N_("Whether something is right or wrong depends on the situation."),
        cite=Citation(1416, 1420, MORALITY),
        reverse=True,
    ),
)

# Pages p1-p5: ten items of ten different scales each, related constructs (for
# example anger and outrage, ingroup identification and disidentification) never
# side by side. Page p6 holds the two sensitive scales only, mixed.
PAGES = (
    Page(
        key="p1",
        items=("pol1", "sym1", "ind1", "ste2", "gui1", "pos1", "iid3", "pat1", "ang1", "zs3"),
    ),
    Page(
        key="p2",
        items=("iid1", "out1", "pos2", "ang4", "ste1", "pat3", "mcv1", "sym2", "dis3", "pol2"),
    ),
    Page(
        key="p3",
        items=("ang2", "pid2", "mcv2", "pos3", "iid2", "pri1", "out2", "ind2", "dis1", "pol4"),
    ),
    Page(
        key="p4",
        items=("mcv3", "dis2", "zs1", "pid1", "out3", "gui2", "pri2", "ind4", "ste3", "pol3"),
    ),
    Page(
        key="p5",
        items=("ste4", "gui3", "ind3", "zs2", "sym3", "mcv4", "pid3", "pat2", "ang3", "pri3"),
    ),
    Page(
        key="p6",
        items=("nar1", "sdo1", "nar2", "sdo2", "nar3", "sdo3", "nar4", "sdo4"),
    ),
)

DEEPER = check(
    Instrument(
        key="deeper",
        version=1,
        response_scale=CORE.response_scale,
        scales=SCALES,
        items=ITEMS,
        pages=PAGES,
        scenarios=(),
    )
)

#: Shown before the sensitive page (the only page with ``sdo`` and ``narcissism`` items).
SENSITIVE_INTRO = N_(
    "The research links these last questions, about how groups in society should relate and "
    "how you feel about attention, to some ordinary reasons people have for taking part. "
    "They are optional, and your answers never leave your own profile."
)

#: The motivation(s) Table 1 links a higher score on each scale to.
LINKS: dict[str, tuple[Motive, ...]] = {
    # Higher identification goes with ingroup-focused motivation; lower identification
    # with outgroup-focused motivation, which EXPLAIN says in words.
    "ingroup_identification": (IG,),
    "disidentification": (OG,),
    "politicized_identification": (OG, MO),
    "personal_identification": (PE,),
    "group_anger": (OG,),
    "group_guilt": (IG,),
    "sympathy": (IG,),
    "positive_emotions": (PE,),
    "moral_outrage": (MO,),
    "low_stereotyping": (OG,),
    "privilege_awareness": (OG,),
    "zero_sum": (IG,),
    "paternalism": (IG,),
    "sdo": (IG,),
    "individualism": (PE,),
    "narcissism": (PE,),
    "moral_conviction": (MO,),
}

#: One hedged sentence per scale for the profile: what the theory links it to.
EXPLAIN: dict[str, str] = {
    "ingroup_identification": N_(
        "The theory links a strong sense of belonging to {ingroup} to support that keeps your "
        "own group's standing in mind, and a weaker one to acting for the status of {outgroup}."
    ),
    "disidentification": N_(
        "The theory links wanting some distance from {ingroup} to acting mainly to improve the "
        "status of {outgroup}."
    ),
    "politicized_identification": N_(
        "The theory links feeling part of the movement for {cause} to acting for the status of "
        "{outgroup}, and, when that feeling grows out of your moral beliefs, to acting on "
        "principle."
    ),
    "personal_identification": N_(
        "The theory links seeing yourself first as an individual to taking part partly for "
        "personal reasons, such as reputation, career or good feelings."
    ),
    "group_anger": N_(
        "The theory links anger at the unfair treatment of {outgroup} to acting mainly to "
        "improve their status."
    ),
    "group_guilt": N_(
        "The theory links guilt about how {ingroup} have treated {outgroup} to support that "
        "makes amends while your own group keeps its place."
    ),
    "sympathy": N_(
        "The theory links feeling sorry for {outgroup} to support that eases their hardship "
        "without changing the gap between the groups."
    ),
    "positive_emotions": N_(
        "The theory links the joy and pride of taking part to personal reasons for acting, and "
        "notes that support built on them can fade when the work gets stressful."
    ),
    "moral_outrage": N_(
        "The theory links outrage at a broken moral standard to acting on principle, because "
        "something is wrong."
    ),
    "low_stereotyping": N_(
        "The theory links rejecting negative stereotypes about {outgroup} to acting mainly to "
        "improve their status, most of all when it comes with awareness of privilege."
    ),
    "privilege_awareness": N_(
        "The theory links noticing the unearned advantages of {ingroup} to acting mainly to "
        "improve the status of {outgroup}."
    ),
    "zero_sum": N_(
        "The theory links the belief that gains for {outgroup} mean losses for {ingroup} to "
        "support that stops where your own group would lose out."
    ),
    "paternalism": N_(
        "The theory links wanting {ingroup} to take care of {outgroup} to help that meets their "
        "needs but can keep them relying on that help."
    ),
    "sdo": N_(
        "The theory links accepting some inequality between groups to support for {outgroup} "
        "that leaves {ingroup} in the higher place."
    ),
    "individualism": N_(
        "The theory links a focus on your own goals and choices to taking part when it also "
        "brings you something personally."
    ),
    "narcissism": N_(
        "The theory links, more tentatively, enjoying attention and recognition to taking part "
        "partly for reputation and popularity."
    ),
    "moral_conviction": N_(
        "The theory links strong beliefs about right and wrong to acting on principle, for "
        "whoever is treated unfairly."
    ),
}

#: The passage each explanation rests on.
EXPLAIN_CITES: dict[str, Citation] = {
    # Table 1 lists lower ingroup identification under outgroup-focused motivation
    # (lines 2337-2339) and higher under ingroup-focused motivation (lines 2409-2411).
    "ingroup_identification": Citation(2331, 2411, TABLE_1),
    "disidentification": Citation(525, 537, OUTGROUP),
    "politicized_identification": Citation(1516, 1540, MORALITY),
    "personal_identification": Citation(1284, 1305, PERSONAL),
    "group_anger": Citation(666, 684, OUTGROUP),
    "group_guilt": Citation(998, 1023, INGROUP),
    "sympathy": Citation(1052, 1072, INGROUP),
    "positive_emotions": Citation(1319, 1339, PERSONAL),
    "moral_outrage": Citation(1571, 1579, MORALITY),
    "low_stereotyping": Citation(702, 719, OUTGROUP),
    "privilege_awareness": Citation(731, 737, OUTGROUP),
    "zero_sum": Citation(1090, 1117, INGROUP),
    "paternalism": Citation(1119, 1139, INGROUP),
    "sdo": Citation(1147, 1156, INGROUP),
    "individualism": Citation(1351, 1361, PERSONAL),
    "narcissism": Citation(1363, 1373, PERSONAL),
    "moral_conviction": Citation(1389, 1432, MORALITY),
}
