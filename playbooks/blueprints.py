from __future__ import annotations

from dataclasses import dataclass

from playbooks.models import Recurrence


@dataclass(frozen=True)
class ActivityBlueprint:
    title: str
    description: str
    platform: str = ""
    evidence: str = ""
    recurrence: str = Recurrence.ONCE
    times: int = 1
    applies_from: str = ""  # a phase name of the Social Adoption template
    skill: str = ""


DEFAULT_ACTIVITIES: list[ActivityBlueprint] = [
    ActivityBlueprint(
        "Refresh your LinkedIn headline",
        "Rewrite your headline and About section so that a stranger can tell in one line "
        "what you care about and why it is worth following you.",
        platform="LinkedIn",
        evidence="A link to your profile.",
        applies_from="Workshops",
        skill="LinkedIn",
    ),
    ActivityBlueprint(
        "Publish a post",
        "Share something from your own work: a lesson, a question, a result. Your own words, "
        "on one of your themes.",
        platform="LinkedIn",
        evidence="A link to the post.",
        recurrence=Recurrence.WEEK,
        applies_from="Workshops",
        skill="LinkedIn",
    ),
    ActivityBlueprint(
        "Comment thoughtfully on five posts",
        "Add something to other people's posts: an example, a question, a view of your own. "
        "“Great post” does not count.",
        platform="LinkedIn",
        evidence="Links to the posts you commented on.",
        recurrence=Recurrence.WEEK,
        times=5,
        applies_from="Workshops",
        skill="Engaging with your network",
    ),
    ActivityBlueprint(
        "Share a colleague's post with your own view",
        "Reshare a post from someone in the business and say in a sentence or two why it "
        "matters to you and to your audience.",
        platform="LinkedIn",
        evidence="A link to your share.",
        recurrence=Recurrence.FORTNIGHT,
        applies_from="Workshops",
        skill="Engaging with your network",
    ),
    ActivityBlueprint(
        "Write a long-form article",
        "Take one of your themes further than a post allows: 600 to 1,200 words, with a "
        "point of view and an example only you could give.",
        platform="Blog or LinkedIn articles",
        evidence="A link to the article.",
        recurrence=Recurrence.MONTH,
        applies_from="1:1 Mentoring",
        skill="Blogging and long-form articles",
    ),
    ActivityBlueprint(
        "Plan next week's content",
        "Spend twenty minutes choosing what you will post, share and comment on next week, "
        "and when. Put it in your calendar.",
        evidence="A note of the plan.",
        recurrence=Recurrence.WEEK,
        applies_from="Playbook",
        skill="Planning content",
    ),
    ActivityBlueprint(
        "Record a short video",
        "A minute or two on your phone about something you learnt this month. Natural beats "
        "polished.",
        platform="Video",
        evidence="A link to the video.",
        recurrence=Recurrence.MONTH,
        applies_from="1:1 Mentoring",
        skill="Video",
    ),
    ActivityBlueprint(
        "Connect with ten people in your audience",
        "Invite people your playbook names as your audience, each with a line saying why.",
        platform="LinkedIn",
        evidence="How many accepted.",
        applies_from="Playbook",
        skill="Engaging with your network",
    ),
    ActivityBlueprint(
        "Review what worked",
        "Look at your posts' reach and the conversations they started. Note one thing to do "
        "again and one to drop, and bring both to your next session.",
        evidence="Your two notes.",
        recurrence=Recurrence.MONTH,
        applies_from="1:1 Mentoring",
        skill="Measuring impact",
    ),
]


@dataclass(frozen=True)
class SectionBlueprint:
    title: str
    guidance: str
    prompts: str
    example: str


DEFAULT_SECTIONS: list[SectionBlueprint] = [
    SectionBlueprint(
        "Purpose and vision",
        "Why you are building a presence at all, and what you want it to have changed in a "
        "year. A clear purpose is what lets you say no to the posts that don't serve it.",
        "What do you want to be known for, in one sentence?\n"
        "Why does this matter to you, and to the business?\n"
        "In a year, what will people say about you that they don't say now?",
        "I want to be known as the operations leader who makes sustainability practical: "
        "what actually works on a factory floor, with numbers. In a year I want suppliers "
        "and graduates to seek me out for that view, and our customers to see the business "
        "as serious about it because its leaders talk about it with substance.",
    ),
    SectionBlueprint(
        "Audiences",
        "The few groups you most want to reach, and what each of them needs from you. "
        "Write for people, not for an algorithm: a small audience that acts is worth more "
        "than a large one that scrolls past.",
        "Who are the two or three audiences that matter most?\n"
        "What does each of them care about, and where do they spend time online?\n"
        "What would you like each of them to think, feel or do?",
        "1. **Peers in manufacturing** (heads of operations, supply-chain directors): want "
        "proof that greener processes pay. Active on LinkedIn.\n"
        "2. **Graduates and early-career engineers**: want to know what the work is really "
        "like and whether we are a place to grow.\n"
        "3. **Our customers' procurement teams**: need confidence in our targets.",
    ),
    SectionBlueprint(
        "Themes and content pillars",
        "Three to five themes you can speak to with authority and return to again and "
        "again. Each pillar should sit where your experience, your audiences' needs and the "
        "business's priorities overlap.",
        "Which three to five themes will you always come back to?\n"
        "What experience or evidence gives you the right to speak on each?\n"
        "What topics will you deliberately stay away from?",
        "- **Practical sustainability**: what we changed, what it cost, what it saved.\n"
        "- **Leading through change**: bringing a workforce with you.\n"
        "- **Careers in engineering**: honest advice I wish I'd had.\n\n"
        "I will stay out of party politics and competitors' results.",
    ),
    SectionBlueprint(
        "Platforms and presence",
        "Where you will show up, and how your profile introduces you there. Better to do "
        "one platform well than four badly; add another when the first is a habit.",
        "Which platform is your home, and which (if any) is secondary?\n"
        "What does your headline, summary and photo say about you today?\n"
        "What will you change so a stranger understands your purpose in five seconds?",
        "Home: **LinkedIn**. Secondary, later: short videos from site visits.\n\n"
        "New headline: *Head of Operations · making sustainable manufacturing practical · "
        "mentor to young engineers*.",
    ),
    SectionBlueprint(
        "Content plan and cadence",
        "What you will publish, how often, and how you will make it sustainable alongside "
        "your day job. Agree a rhythm you can keep in a busy month, not only a quiet one.",
        "How often will you post, comment and write something longer?\n"
        "Where will ideas come from (meetings, visits, reading), and where will you keep "
        "them?\n"
        "Who, if anyone, helps you draft or review, and how do you keep your own voice?",
        "- One post a week (Tuesday mornings), alternating pillars.\n"
        "- Thoughtful comments on five posts a week, fifteen minutes on Monday and Thursday.\n"
        "- One long-form article a quarter.\n\n"
        "Ideas go into a note on my phone straight after site visits.",
    ),
    SectionBlueprint(
        "Engaging with a network",
        "Thought leadership is a conversation, not a broadcast. Plan whom you will engage "
        "with, how you will respond to others, and how you will support colleagues.",
        "Which ten people or organisations will you engage with regularly?\n"
        "How will you respond to comments and messages, and how quickly?\n"
        "How will you amplify colleagues and the business without sounding like an advert?",
        "I'll follow and comment on ten peers and two industry bodies, reply to every "
        "comment within a day, and share a colleague's post each fortnight with my own "
        "view of why it matters.",
    ),
    SectionBlueprint(
        "Measures of success",
        "How you will know it is working. Choose a few measures that reflect your purpose "
        "(conversations started, invitations received) rather than vanity numbers alone.",
        "What three measures will you review each month?\n"
        "What would count as success at three months, and at twelve?\n"
        "What will you do if a measure stalls?",
        "- Meaningful conversations started (DMs, calls): 2 a month by month three.\n"
        "- Invitations to speak or contribute: 1 a quarter.\n"
        "- Profile views from target audiences: trending up.\n\n"
        "If a measure stalls for two months, I'll review it with my mentor.",
    ),
    SectionBlueprint(
        "Fitting the business's strategy",
        "How your personal presence supports the business's own social media strategy, and "
        "where the boundaries are. Your voice stays yours; the direction is shared.",
        "Which of the business's pillars and key messages do your themes support?\n"
        "What will you check with communications before posting, and what not?\n"
        "How will the business benefit, and how will you both know?",
        "My practical sustainability pillar supports the business pillar *Responsible "
        "growth*; careers supports *People*. Figures and customer names go to comms first; "
        "opinions and lessons learned don't need sign-off.",
    ),
]
