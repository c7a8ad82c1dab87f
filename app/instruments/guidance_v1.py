"""Guidance, version 1: practices for every motivation, and reflection prompts.

Invariants:
- Every motivation has at least five practices, including outgroup-focused and
  morality; each practice is offered when its own motive is emphasised, and some
  also when a scenario choice carried a matching behaviour tag.
- The first practice of each motive is the one offered when nothing else applies.
- Practices invite, they do not judge; reflection prompts are open questions that
  only the person can answer.
- Every citation points into ``shared/theory/beyond-allyship-paper.txt``.
"""

from __future__ import annotations

from app.domain.guidance import Chose, Emphasis, Practice
from app.domain.i18n import N_
from app.domain.instrument import Behaviour, Citation, Motive

INTRO = (
    "Beyond allyship: Motivations for advantaged group members to engage in action for "
    "disadvantaged groups"
)
OUTGROUP = "Outgroup-focused motivation"
INGROUP = "Ingroup-focused motivation"
PERSONAL = "Personal motivation"
MORALITY = "Morality motivation"
OUTCOMES = "Behavioral outcomes"
FUTURE = "Theoretical contributions and directions for future research"

DROOGENDYK = "Droogendyk et al., 2016"
HELPFUL_ALLY = Citation(1904, 1920, OUTCOMES, DROOGENDYK)
HARMFUL_ALLY = Citation(1930, 1941, OUTCOMES, DROOGENDYK)

OG, IG, PE, MO = Motive.OUTGROUP, Motive.INGROUP, Motive.PERSONAL, Motive.MORALITY
B = Behaviour

PRACTICES: tuple[Practice, ...] = (
    # Outgroup-focused.
    Practice(
        key="og_ask_first",
        motive=OG,
        text=N_(
            "Before you plan something for {cause}, ask {outgroup} what they need most, and "
            "let their answer shape the plan."
        ),
        why=N_(
            "Seeking advice from {outgroup} and following their requests are among the "
            "helpful behaviours the research describes."
        ),
        try_this_week=N_(
            "Ask one of the {outgroup} you work with: 'What would be most useful from me "
            "this month?'"
        ),
        cite=HELPFUL_ALLY,
        when=(Emphasis(OG), Chose(B.NO_GUIDANCE)),
    ),
    Practice(
        key="og_weigh_risk",
        motive=OG,
        text=N_(
            "Before a disruptive action, weigh what it could achieve for {outgroup} against "
            "what it could cost them."
        ),
        why=N_(
            "People without the protection that {ingroup} have can face far worse "
            "consequences, and the research expects those focused on the group they support "
            "to weigh benefits against costs."
        ),
        try_this_week=N_(
            "At your next planning meeting, ask: 'Who is most at risk if this goes badly, "
            "and what do they want?'"
        ),
        cite=Citation(1779, 1804, OUTCOMES),
        when=(Emphasis(OG), Chose(B.NON_NORMATIVE)),
    ),
    Practice(
        key="og_own_advantages",
        motive=OG,
        text=N_(
            "Keep the advantages of your own group in view, not only the problems {outgroup} face."
        ),
        why=N_(
            "Research finds that focusing on the other group can draw attention away from "
            "the advantages your own group holds."
        ),
        try_this_week=N_(
            "Write down one advantage that {ingroup} have and did not earn, and one place "
            "where you see it in your own week."
        ),
        cite=Citation(1804, 1810, OUTCOMES, "Powell et al., 2005"),
        when=(Emphasis(OG),),
    ),
    Practice(
        key="og_real_differences",
        motive=OG,
        text=N_(
            "When people say 'we are all in this together', keep the real differences "
            "between {ingroup} and {outgroup} in view."
        ),
        why=N_(
            "A shared identity can hide real differences and weaken the goals that "
            "{outgroup} set for their own movement."
        ),
        try_this_week=N_(
            "In your next conversation about {cause}, name one way the issue affects "
            "{outgroup} differently from you."
        ),
        cite=Citation(570, 580, OUTGROUP),
        when=(Emphasis(OG),),
    ),
    Practice(
        key="og_support_role",
        motive=OG,
        text=N_(
            "Choose support roles that free {outgroup} to lead, such as setting up, taking "
            "notes, driving or looking after children."
        ),
        why=N_(
            "The research describes the helpful role as an accomplice or side-kick, rather "
            "than a hero or champion."
        ),
        try_this_week=N_(
            "Offer to do one practical task for an organizer who is one of the {outgroup}, "
            "so that they have more time to lead."
        ),
        cite=HELPFUL_ALLY,
        when=(Emphasis(OG), Chose(B.SEEKS_TO_LEAD), Chose(B.TAKES_OVER)),
    ),
    Practice(
        key="og_listen",
        motive=OG,
        text=N_(
            "Listen to {outgroup} in their own words, through writing, talks and news they make "
            "themselves."
        ),
        why=N_(
            "Listening to and amplifying the voices of {outgroup} is one of the helpful "
            "behaviours the research names."
        ),
        try_this_week=N_(
            "Find one article or talk by {outgroup} about {cause}, and share it without "
            "changing its words."
        ),
        cite=HELPFUL_ALLY,
        when=(Emphasis(OG),),
    ),
    # Ingroup-focused.
    Practice(
        key="ig_line",
        motive=IG,
        text=N_(
            "Notice where your support stops: which changes for {cause} you support fully, "
            "and which would cost {ingroup} too much."
        ),
        why=N_(
            "The research describes support that stops at such a line, and notes that it "
            "can make supporters seem inconsistent to the people they support."
        ),
        try_this_week=N_(
            "List two changes that {outgroup} are asking for. For each, write what it would "
            "cost {ingroup}, and whether that changes how you feel about it."
        ),
        cite=Citation(825, 855, INGROUP),
        when=(Emphasis(IG),),
    ),
    Practice(
        key="ig_autonomy",
        motive=IG,
        text=N_(
            "When you help, choose help that adds to the choices of {outgroup}, such as "
            "skills, money or a say in decisions, over things you pick for them."
        ),
        why=N_(
            "Help that gives the full solution can keep people dependent on the giver, "
            "while help that lets people solve problems themselves leaves the choices with "
            "them."
        ),
        try_this_week=N_(
            "Ask the people who receive one kind of help you give whether they would rather "
            "have it in another form."
        ),
        cite=Citation(1612, 1626, OUTCOMES, "Nadler & Halabi, 2006"),
        when=(Emphasis(IG), Chose(B.DEPENDENCY_HELP)),
    ),
    Practice(
        key="ig_unseen",
        motive=IG,
        text=N_(
            "Do some of your work for {cause} where no one will see it, and notice how it feels."
        ),
        why=N_(
            "Research finds that the wish for one's own group to look good draws people "
            "toward action that others can see."
        ),
        try_this_week=N_("Do one thing for {cause} this week and tell no one about it."),
        cite=Citation(1865, 1883, OUTCOMES),
        when=(Emphasis(IG), Chose(B.PUBLIC, 5)),
    ),
    Practice(
        key="ig_guilt",
        motive=IG,
        text=N_(
            "If you feel guilty about what {ingroup} have done, turn that feeling toward a "
            "change that {outgroup} are asking for."
        ),
        why=N_(
            "Guilt tends to push toward the quickest way to feel better, which often leaves "
            "the situation of {outgroup} as it was."
        ),
        try_this_week=N_(
            "The next time that feeling comes up, write down one request from {outgroup} "
            "that you could act on this month."
        ),
        cite=Citation(982, 1009, INGROUP),
        when=(Emphasis(IG),),
    ),
    Practice(
        key="ig_protect_or_change",
        motive=IG,
        text=N_(
            "For each action you support, ask whether it changes what harms {outgroup}, or "
            "only helps them cope with it."
        ),
        why=N_(
            "In one study, men who saw women's gains as men's losses preferred self-defence "
            "classes for women over action against men's violence."
        ),
        try_this_week=N_(
            "Pick one action your group takes and ask: does it change what {ingroup} do, or "
            "does it only help {outgroup} protect themselves?"
        ),
        cite=Citation(1097, 1113, INGROUP, "Radke, Hornsey, & Barlow, 2018"),
        when=(Emphasis(IG),),
    ),
    Practice(
        key="ig_talk_to_own_group",
        motive=IG,
        text=N_("Talk about {cause} with other {ingroup}, who may listen to you more readily."),
        why=N_(
            "Studies find that people from an advantaged group who challenge prejudice can "
            "be more convincing than the people it targets."
        ),
        try_this_week=N_(
            "Start one conversation about {cause} with a friend or relative you have not "
            "talked with about it before."
        ),
        cite=Citation(122, 146, INTRO),
        when=(Emphasis(IG),),
    ),
    Practice(
        key="ig_impact_first",
        motive=IG,
        text=N_(
            "When one of the {outgroup} criticises you, ask about the effect before you "
            "explain what you meant."
        ),
        why=N_(
            "Not considering how one's actions affect {outgroup} is one of the behaviours "
            "the research links to tension in movements."
        ),
        try_this_week=N_(
            "The next time you are criticised, start with 'Tell me more about how it affected you.'"
        ),
        cite=Citation(1922, 1931, OUTCOMES, DROOGENDYK),
        when=(Emphasis(IG), Chose(B.IGNORES_IMPACT)),
    ),
    Practice(
        key="ig_own_words",
        motive=IG,
        text=N_(
            "Share what {outgroup} say in their own words, before you add a version of your own."
        ),
        why=N_(
            "Rewording a movement's message for a more comfortable audience can blur or "
            "weaken it, which the research calls co-opting."
        ),
        try_this_week=N_(
            "The next time you share something about {cause}, quote one of the {outgroup} "
            "directly and, with their permission, name them."
        ),
        cite=HARMFUL_ALLY,
        when=(Emphasis(IG), Chose(B.CO_OPTS)),
    ),
    Practice(
        key="ig_advice_when_asked",
        motive=IG,
        text=N_(
            "Give advice to {outgroup} when they ask for it, and accept it when they choose "
            "another way."
        ),
        why=N_(
            "Advice that was not asked for, given with the expectation of being listened "
            "to, is among the behaviours the research links to tension."
        ),
        try_this_week=N_(
            "When you have an idea for the group this week, first ask: 'Would it help if I "
            "shared an idea?'"
        ),
        cite=HARMFUL_ALLY,
        when=(Emphasis(IG), Chose(B.UNWANTED_ADVICE)),
    ),
    # Personal.
    Practice(
        key="pe_steady",
        motive=PE,
        text=N_(
            "Choose one regular commitment to {cause} that you can keep in bad weather and "
            "busy weeks."
        ),
        why=N_(
            "The research finds that support which depends on time, weather, distance or "
            "what friends are doing tends to come and go."
        ),
        try_this_week=N_(
            "Pick one small, fixed task, such as one hour every week, and put it in your "
            "calendar for the next month."
        ),
        cite=Citation(1943, 1955, OUTCOMES),
        when=(Emphasis(PE), Chose(B.UNCOMMITTED)),
    ),
    Practice(
        key="pe_name_gains",
        motive=PE,
        text=N_("Name what you get from this work, next to what {outgroup} get from it."),
        why=N_(
            "Personal gains can sit alongside a wish to improve things for others; naming "
            "them helps you see which one is guiding a choice."
        ),
        try_this_week=N_(
            "Write two short lists: what taking part gives you, and what it gives "
            "{outgroup}. Look at where they differ."
        ),
        cite=Citation(2086, 2098, FUTURE),
        when=(Emphasis(PE),),
    ),
    Practice(
        key="pe_pass_the_mic",
        motive=PE,
        text=N_(
            "When you are offered the microphone, the camera or a lead role, first ask "
            "whether one of the {outgroup} wants it."
        ),
        why=N_(
            "Seeking to lead is one of the behaviours the research links to tension, and "
            "passing the chance on amplifies the voices of {outgroup}."
        ),
        try_this_week=N_(
            "The next time you are asked to speak or post for the group, suggest one of the "
            "{outgroup} and offer to help them prepare."
        ),
        cite=Citation(1912, 1937, OUTCOMES, DROOGENDYK),
        when=(Emphasis(PE), Chose(B.SEEKS_TO_LEAD)),
    ),
    Practice(
        key="pe_thanks",
        motive=PE,
        text=N_(
            "Let the thanks go to the group, and notice any wish to be thanked without acting on "
            "it."
        ),
        why=N_(
            "Expecting {outgroup} to owe you something for your support is one of the "
            "things that leads to tension in movements."
        ),
        try_this_week=N_(
            "At your next event, thank one of the {outgroup} for their work, in front of others."
        ),
        cite=Citation(148, 160, INTRO, DROOGENDYK),
        when=(Emphasis(PE), Chose(B.EXPECTS_CREDIT)),
    ),
    Practice(
        key="pe_hard_days",
        motive=PE,
        text=N_(
            "Find a reason to keep going that still holds on days when the work does not feel good."
        ),
        why=N_(
            "Good feelings help people start, but the work is often stressful, and action "
            "that rests on good feelings alone tends to fade."
        ),
        try_this_week=N_(
            "Write down one reason to stay with {cause} that would still be true on a hard "
            "day, and keep it where you will see it."
        ),
        cite=Citation(1331, 1339, PERSONAL),
        when=(Emphasis(PE),),
    ),
    Practice(
        key="pe_offer_as_question",
        motive=PE,
        text=N_("When you see a faster way to do something, offer it as a question, not a plan."),
        why=N_(
            "Taking over the work is one of the behaviours the research links to tension, "
            "even when it comes from wanting to help."
        ),
        try_this_week=N_(
            "The next time you want to take something over, ask 'Would it help if I did "
            "this?' and accept a no."
        ),
        cite=HARMFUL_ALLY,
        when=(Emphasis(PE), Chose(B.TAKES_OVER)),
    ),
    # Morality.
    Practice(
        key="mo_consult_outrage",
        motive=MO,
        text=N_("When news or an event makes you furious, talk with {outgroup} before you act."),
        why=N_(
            "Outrage can push toward fast action, such as punishing those to blame, without "
            "asking the people affected, and that action can bring them new harm."
        ),
        try_this_week=N_(
            "The next time the news makes you angry, wait a day, and ask one of the "
            "{outgroup} you know what would help."
        ),
        cite=Citation(1669, 1691, OUTCOMES),
        when=(Emphasis(MO), Chose(B.NO_GUIDANCE)),
    ),
    Practice(
        key="mo_one_cause",
        motive=MO,
        text=N_("Stay with one cause long enough to be useful to it."),
        why=N_(
            "People moved by principle tend to spread their action across many causes, "
            "while those focused on one group stay with it."
        ),
        try_this_week=N_(
            "Decide which cause gets your regular time for the next six months, and tell "
            "its organizers."
        ),
        cite=Citation(1957, 1975, OUTCOMES),
        when=(Emphasis(MO), Chose(B.UNCOMMITTED)),
    ),
    Practice(
        key="mo_risk_price",
        motive=MO,
        text=N_(
            "If a principle is worth a risk to you, check that {outgroup} are not the ones "
            "who pay for it."
        ),
        why=N_(
            "Disruptive action can lead to arrest or harm, and people without the "
            "protection that {ingroup} have face far greater dangers."
        ),
        try_this_week=N_(
            "Before your next protest, ask the organizers how arrests could affect "
            "{outgroup}, and what they want supporters to do."
        ),
        cite=Citation(1771, 1792, OUTCOMES, DROOGENDYK),
        when=(Emphasis(MO), Chose(B.NON_NORMATIVE)),
    ),
    Practice(
        key="mo_whose_principle",
        motive=MO,
        text=N_("Check that the principle you act on matches what {outgroup} are asking for."),
        why=N_(
            "The same sense of injustice can lead to different actions, such as protecting "
            "people or demanding equal rights for them."
        ),
        try_this_week=N_(
            "Read one statement by a group of {outgroup} about {cause}, and compare its "
            "demands with your own reasons for acting."
        ),
        cite=Citation(1495, 1508, MORALITY),
        when=(Emphasis(MO),),
    ),
    Practice(
        key="mo_shared_outrage",
        motive=MO,
        text=N_(
            "Share your anger about an injustice with {outgroup}, and agree together on what to do."
        ),
        why=N_("Outrage felt by both groups can give them shared rules for how to respond."),
        try_this_week=N_(
            "Go to one meeting led by {outgroup} and listen to how they want to respond to "
            "a recent event."
        ),
        cite=Citation(1563, 1569, MORALITY),
        when=(Emphasis(MO),),
    ),
    Practice(
        key="mo_help_over_time",
        motive=MO,
        text=N_(
            "Let the form of your help follow what people need now: urgent basic needs "
            "first, then help that gives them more control."
        ),
        why=N_(
            "Direct goods can be right when basic needs are urgent, but as a long-term "
            "answer, concerns about dignity grow."
        ),
        try_this_week=N_(
            "Ask the group you support which of their needs are urgent now, and which will "
            "matter most in a year."
        ),
        cite=Citation(2235, 2244, FUTURE),
        when=(Emphasis(MO), Chose(B.DEPENDENCY_HELP)),
    ),
)

REFLECTION_PROMPTS: dict[Motive, tuple[str, ...]] = {
    OG: (
        N_(
            "When did one of the {outgroup} last change your mind about what to do, and what did "
            "you do next?"
        ),
        N_("Which advantages that {ingroup} have would you find hardest to give up?"),
        N_("Whose idea of what {outgroup} need is guiding your work right now?"),
    ),
    IG: (
        N_(
            "When you picture people seeing your work on {cause}, who do you picture, and "
            "what do you hope they think of {ingroup}?"
        ),
        N_(
            "Is there a change that {outgroup} ask for that you find harder to support? What "
            "makes it harder?"
        ),
        N_("What would you lose if {outgroup} gained everything they are asking for?"),
    ),
    PE: (
        N_("What does taking part give you that you would miss if you stopped?"),
        N_("If no one ever knew about your work on {cause}, what would you still do?"),
        N_("What makes you skip an action, and what would help you go anyway?"),
    ),
    MO: (
        N_(
            "Which principle is at stake for you in your work on {cause}, and do {outgroup} "
            "describe the problem the same way?"
        ),
        N_("The last time you acted out of anger, who did you talk to first?"),
        N_("Which cause will you still be working on a year from now?"),
    ),
}
