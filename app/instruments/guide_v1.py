"""The facilitator's guide, version 1: a session script per module, debrief prompts, a harm note.

Invariants:
- One script per module (core, deeper, scenarios); each step says how long it
  takes, what to say, and how to frame it without shaming anyone.
- Debrief prompts are chosen by the room's shown figures (``app.domain.debrief``):
  one for each motive the room may lean to, some for scenario patterns (help that
  keeps people dependent, unequal risk, visibility, the behaviours that help or
  strain a movement, said against chosen), and general ones for every room.
- Prompts ask about the room and the work, never about a person; nobody is ever
  asked to show, read out or describe their own profile (``HARM_AVOIDANCE``).
- Texts may use ``{cause}``, ``{ingroup}``, ``{outgroup}`` and ``{k_room}``.
- Every citation points into ``shared/theory/beyond-allyship-paper.txt``.
"""

from __future__ import annotations

from app.domain.debrief import (
    Always,
    DebriefPrompt,
    RoomChose,
    RoomLeans,
    SaidDiffersFromChosen,
    Script,
    ScriptStep,
)
from app.domain.i18n import N_
from app.domain.instrument import HARMFUL, HELPFUL, Behaviour, Citation, Motive
from app.domain.workshop import Module
from app.instruments.core_v1 import FOUNDATIONS, FUTURE, OUTCOMES, PERSONAL

VERSION = 1
DROOGENDYK = "Droogendyk et al., 2016"
TABLE_1 = "Table 1"

OG, IG, PE, MO = Motive.OUTGROUP, Motive.INGROUP, Motive.PERSONAL, Motive.MORALITY
B = Behaviour

#: Why privacy makes honest answers possible: people are motivated to present
#: their action as being for the group or for principle.
SAY_AND_SEEM = Citation(2024, 2037, FUTURE)
#: Motivations coexist, differ "to a greater extent", and are not a typology.
NOT_TYPES = Citation(451, 466, FOUNDATIONS)
#: Motivations change over time, with contact and with context.
THEY_CHANGE = Citation(2073, 2110, FUTURE)
HELPFUL_ALLY = Citation(1904, 1920, OUTCOMES, DROOGENDYK)
HARMFUL_ALLY = Citation(1922, 1941, OUTCOMES, DROOGENDYK)
#: The antecedents (identities, emotions, beliefs) the deeper module asks about.
TABLE_1_CITE = Citation(2319, 2567, TABLE_1)

SCRIPTS: tuple[Script, ...] = (
    Script(
        module=Module.CORE,
        title=N_("The core questionnaire and the room's mixture"),
        steps=(
            ScriptStep(
                minutes=3,
                title=N_("Welcome and why we are here"),
                say=N_(
                    "Tonight we look at why we act for {cause}. Everyone here acts for more than "
                    "one reason, and that is ordinary. The questions are for you: nobody else "
                    "sees your answers."
                ),
                frame=N_(
                    "Present the four motivations as reasons that everyone holds in some mix, "
                    "never as types of people or as a ranking."
                ),
                cite=NOT_TYPES,
            ),
            ScriptStep(
                minutes=2,
                title=N_("Privacy and the room box"),
                say=N_(
                    "Nobody in this room, me included, sees anyone's answers. If you tick the "
                    "box for the room, your answers count in the room's figures, which appear "
                    "only if at least {k_room} people are counted. Leaving the box unticked is "
                    "a normal choice."
                ),
                frame=N_(
                    "Do not ask who ticked the box, and do not comment on how many did. Privacy "
                    "is what makes honest answers possible."
                ),
                cite=SAY_AND_SEEM,
            ),
            ScriptStep(
                minutes=3,
                title=N_("Joining"),
                say=N_(
                    "Scan the code on the screen with your phone's camera, or type the short "
                    "address and the six characters. You need no account and no email."
                ),
                frame=N_(
                    "Show the projector page. Offer help with phones quietly, without looking "
                    "at anyone's answers."
                ),
            ),
            ScriptStep(
                minutes=10,
                title=N_("Answering"),
                say=N_(
                    "There are no right answers. Answer for the person you are, not the person "
                    "you think you should be. You can skip anything."
                ),
                frame=N_(
                    "Stay quiet while people answer and watch the count on the room view, not "
                    "the screens in the room. People may not be fully aware of their reasons; "
                    "a calm room helps them look."
                ),
                cite=SAY_AND_SEEM,
            ),
            ScriptStep(
                minutes=2,
                title=N_("Closing the round"),
                say=N_(
                    "When the count stops rising, close the round. If fewer than {k_room} "
                    "people were counted, the room sees no figures: say that this protects "
                    "everyone, and go on with the general questions below."
                ),
                frame=N_(
                    "Never estimate or guess hidden figures aloud, and never ask who has not "
                    "finished yet."
                ),
            ),
            ScriptStep(
                minutes=12,
                title=N_("The room's mixture"),
                say=N_(
                    "These figures belong to the room, not to any one of us. Where do you "
                    "recognise the room's reasons in your own work on {cause}? Where not?"
                ),
                frame=N_(
                    "Talk about motivations and what they lead people to do, never about who "
                    "holds which one. Use the prompts below that match the room's figures."
                ),
                cite=THEY_CHANGE,
            ),
        ),
    ),
    Script(
        module=Module.DEEPER,
        title=N_("Going deeper: identities, feelings and beliefs"),
        steps=(
            ScriptStep(
                minutes=2,
                title=N_("Introducing the optional part"),
                say=N_(
                    "The next part asks about feelings, beliefs and ties to groups that research "
                    "links to each motivation. It is optional. The last questions are more "
                    "personal; they stay in your own profile and never reach any figure."
                ),
                frame=N_(
                    "Make leaving early easy: people who stop here have still taken part fully."
                ),
                cite=TABLE_1_CITE,
            ),
            ScriptStep(
                minutes=8,
                title=N_("Answering"),
                say=N_("Take your time; skip whatever you would rather not answer."),
                frame=N_(
                    "Nothing from this part appears in the room's figures, so there is nothing "
                    "to show. Do not invite people to share these answers."
                ),
            ),
            ScriptStep(
                minutes=8,
                title=N_("Feelings that move us"),
                say=N_(
                    "Anger at unfairness, guilt, sympathy, joy and pride, outrage: each of "
                    "these can move people to act. What does each one tend to push us toward "
                    "in our work for {cause}?"
                ),
                frame=N_(
                    "Keep it general: ask about feelings people know from movement life, not "
                    "about anyone's own answers. No feeling is the wrong one to have."
                ),
                cite=TABLE_1_CITE,
            ),
        ),
    ),
    Script(
        module=Module.SCENARIOS,
        title=N_("Situations from movement life"),
        steps=(
            ScriptStep(
                minutes=2,
                title=N_("Introducing the situations"),
                say=N_(
                    "You will read short situations from movement life. Every option is "
                    "something decent people do. Pick what you would most likely do, not what "
                    "sounds best."
                ),
                frame=N_(
                    "Say plainly that the options are not graded. The explanations after each "
                    "choice say what research and people from the group have found, not what "
                    "a good person would pick."
                ),
                cite=SAY_AND_SEEM,
            ),
            ScriptStep(
                minutes=10,
                title=N_("Choosing"),
                say=N_("Read each situation, choose, then read the short explanation."),
                frame=N_("Stay quiet; people read at different speeds."),
            ),
            ScriptStep(
                minutes=10,
                title=N_("Whose needs came first"),
                say=N_(
                    "Pick one situation. In each option, whose needs came first, who decided, "
                    "who was seen, and who carried the risk?"
                ),
                frame=N_(
                    "Discuss the options, not the people who chose them. Nobody needs to say "
                    "what they picked."
                ),
                cite=Citation(1904, 1941, OUTCOMES, DROOGENDYK),
            ),
        ),
    ),
)

PROMPTS: tuple[DebriefPrompt, ...] = (
    DebriefPrompt(
        key="dependency_help",
        title=N_("Help that decides for people"),
        ask=N_(
            "In the community centre situation, many of us chose help where we decide what "
            "is needed. When is that the right help, and when does it keep {outgroup} "
            "depending on us?"
        ),
        note=N_(
            "Help in kind meets urgent needs, such as food and shelter on arrival, and "
            "research with refugees and citizens found that help which builds people's own "
            "means is seen as more likely to bring real change. Treat both as real help, and "
            "ask who decides."
        ),
        cite=Citation(1636, 1669, OUTCOMES, "Becker et al., 2018"),
        also=(Citation(2237, 2244, FUTURE),),
        when=(RoomChose(frozenset({B.DEPENDENCY_HELP}), 0.5, "community_centre"),),
    ),
    DebriefPrompt(
        key="said_and_chosen",
        title=N_("What we say and what we choose"),
        ask=N_(
            "The reasons the room gave and the options the room chose point in somewhat "
            "different directions. What makes the option we pick in the moment differ from "
            "the reasons we name?"
        ),
        note=N_(
            "Never suggest that anyone was dishonest. Everyone has reasons to present their "
            "action as being for the group or for principle, and nobody is fully aware of "
            "their own reasons."
        ),
        cite=SAY_AND_SEEM,
        when=(SaidDiffersFromChosen(),),
    ),
    DebriefPrompt(
        key="unequal_risk",
        title=N_("Who carries the risk"),
        ask=N_(
            "In the sit-in situation, many of us were ready to break the rules. In the actions "
            "we plan, who carries the risk, and who decides how much risk is acceptable?"
        ),
        note=N_(
            "Disruptive action can be exactly what a movement needs. Arrest and police "
            "violence can be far more dangerous for {outgroup} than for {ingroup}, so the "
            "question is who decides, not whether to act."
        ),
        cite=Citation(1771, 1804, OUTCOMES, DROOGENDYK),
        when=(RoomChose(frozenset({B.NON_NORMATIVE}), 0.5, "sit_in"),),
    ),
    DebriefPrompt(
        key="being_seen",
        title=N_("Action that others can see"),
        ask=N_("Which of our actions for {cause} would we still do if nobody could see them?"),
        note=N_(
            "Visible action recruits others and shows support, and being seen matters to "
            "everyone. Research expects people with group or personal reasons to prefer "
            "action that others can see; ask about the balance, not about anyone's reasons."
        ),
        cite=Citation(1865, 1896, OUTCOMES),
        when=(RoomChose(frozenset({B.PUBLIC}), 0.6),),
    ),
    DebriefPrompt(
        key="strains",
        title=N_("Behaviours that strain a movement"),
        ask=N_(
            "Research names behaviours that strain movements: not asking for guidance, "
            "taking over, giving advice nobody asked for, expecting thanks. Which of these "
            "have we seen in our own group, and what helped?"
        ),
        note=N_(
            "Many of these start as generous offers. Talk about situations and habits, not "
            "about people, and let people speak about themselves only if they want to."
        ),
        cite=HARMFUL_ALLY,
        when=(RoomChose(HARMFUL, 0.4),),
    ),
    DebriefPrompt(
        key="wavering",
        title=N_("Showing up when it is hard"),
        ask=N_(
            "What makes it hard to show up when it rains, when it takes long, or when our "
            "friends are not coming? What has helped us keep going?"
        ),
        note=N_(
            "Protecting your time is reasonable. The point is what makes support steady, "
            "since support that comes and goes is hard for a movement to rely on."
        ),
        cite=Citation(1943, 1955, OUTCOMES),
        when=(RoomChose(frozenset({B.UNCOMMITTED}), 0.3),),
    ),
    DebriefPrompt(
        key="following_the_lead",
        title=N_("Following the lead of {outgroup}"),
        ask=N_(
            "The room often chose to ask, listen and follow the lead of {outgroup}. What makes "
            "that easy in our real work, and what makes it hard?"
        ),
        note=N_(
            "Name what works without praising anyone. Stepping back, accepting criticism "
            "and being a side-kick rather than a hero take practice, and everyone finds "
            "some of it hard."
        ),
        cite=HELPFUL_ALLY,
        when=(RoomChose(HELPFUL, 0.5),),
    ),
    DebriefPrompt(
        key="leans_outgroup",
        title=N_("A room focused on {outgroup}"),
        ask=N_(
            "Wanting the best for {outgroup} is the heart of this work. Where might it lead us "
            "to decide for them rather than with them, or to forget the advantages that "
            "{ingroup} keep?"
        ),
        note=N_(
            "This is the motivation people most like to say they hold, so treat the figure "
            "as the room's reasons, not as a grade. Research warns that a focus on the other "
            "group can draw attention away from one's own group's privileges."
        ),
        cite=Citation(1806, 1810, OUTCOMES),
        also=(SAY_AND_SEEM,),
        when=(RoomLeans(OG),),
    ),
    DebriefPrompt(
        key="leans_ingroup",
        title=N_("A room that keeps its own group in view"),
        ask=N_(
            "How would our work for {cause} change if {ingroup} were never seen doing it? "
            "Which changes that {outgroup} ask for would cost {ingroup} something?"
        ),
        note=N_(
            "Support that keeps one's own group's standing in view is common and can be "
            "said without shame. Motivations shift with meaningful contact with {outgroup}; "
            "the question is where the room wants to go, not who is where."
        ),
        cite=Citation(2098, 2104, FUTURE),
        when=(RoomLeans(IG),),
    ),
    DebriefPrompt(
        key="leans_personal",
        title=N_("A room that acts for personal reasons too"),
        ask=N_(
            "What keeps you going when the work is slow, unseen or unpleasant? What could "
            "our group do so that people keep going then?"
        ),
        note=N_(
            "Good feelings, friends and skills are ordinary reasons to act, and they bring "
            "many people in. Research expects such support to waver when the good feelings "
            "fade, so talk about what sustains people, not about selfishness."
        ),
        cite=Citation(1331, 1339, PERSONAL),
        when=(RoomLeans(PE),),
    ),
    DebriefPrompt(
        key="leans_morality",
        title=N_("A room moved by principle"),
        ask=N_(
            "When something outrages you, how do you find out what the people affected want "
            "before you act?"
        ),
        note=N_(
            "Outrage gives action energy and is often right. Research notes it can also lead "
            "people to act without consulting the group affected, or to focus on punishing "
            "someone in ways that bring the group new harm."
        ),
        cite=Citation(1669, 1691, OUTCOMES),
        when=(RoomLeans(MO),),
    ),
    DebriefPrompt(
        key="mixture_not_types",
        title=N_("Everyone holds a mix"),
        ask=N_(
            "Every motivation brings something to the work for {cause}, and every one can "
            "get in the way. What does each one bring, and where can each one trip us up?"
        ),
        note=N_(
            "Keep the talk on motivations, never on people. Nobody needs to say where they "
            "stand, and no motivation makes anyone a better or worse supporter."
        ),
        cite=NOT_TYPES,
        when=(Always(),),
    ),
    DebriefPrompt(
        key="reasons_change",
        title=N_("Reasons change"),
        ask=N_(
            "Think of how you first got involved. Were your reasons then the same as now? "
            "What changed them?"
        ),
        note=N_(
            "Let people answer for themselves, silently or in pairs if they prefer. Research "
            "expects motivations to shift with time, context and contact with {outgroup}."
        ),
        cite=THEY_CHANGE,
        when=(Always(),),
    ),
)

#: Read these before every workshop; they are shown at the top of the guide.
HARM_AVOIDANCE: tuple[str, ...] = (
    N_(
        "Never ask anyone to show, read out or describe their profile, and never ask people "
        "to raise hands, stand or sort themselves by a motivation or a choice."
    ),
    N_(
        "Talk about the room's figures, never about a person. If someone offers their own "
        "result, thank them and move on without comparing it to anyone else's."
    ),
    N_(
        "If no figures appear, fewer than {k_room} people were counted: do not guess or "
        "estimate the hidden figures aloud."
    ),
    N_(
        "People who leave the room box unticked, skip questions or stop early are taking "
        "part as they choose. Do not ask why."
    ),
    N_(
        "Avoid labels such as 'the selfish ones' or 'real allies': motivations are held by "
        "everyone in some mix and change over time."
    ),
)
#: Why the harm note holds: people are motivated to seem outgroup- or morality-driven,
#: and risk exclusion from the movement when they seem otherwise.
HARM_CITE = SAY_AND_SEEM
