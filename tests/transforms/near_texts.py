"""Team-written article texts for the near-duplicate tests: a wire story, lightly edited copies
of it, and different stories on the same event. Invented places and people."""

# ruff: noqa: E501

from __future__ import annotations

DRILL_DAY_ONE = """By Mara Lind, Northsea Wire

KESTRELHAVN, March 3 - Warships from four navies began a five-day exercise in the waters off the Kestrel peninsula on Monday, rehearsing convoy escort and mine clearance in what organisers called the largest drill of its kind in the region this year.

About thirty vessels and two thousand sailors are taking part, according to a statement from the joint command, which said the scenario involved protecting merchant shipping through a narrow channel after a simulated attack on a port.

Residents of the coastal villages were told to expect the sound of gunnery practice during daylight hours and temporary closures of two fishing grounds until Friday. The harbour master said ferries would keep to their usual timetable.

A neighbouring government criticised the drill as provocative and said it would watch the manoeuvres closely. The joint command replied that the exercise had been announced months in advance and was defensive in nature.

Observers from three countries were invited to watch the opening day from a support ship anchored outside the channel."""

# The same story as republished elsewhere: new headline line, another byline, one sentence
# reworded, one sentence added, and the last two paragraphs swapped.
DRILL_DAY_ONE_COPY = """Navies open big sea exercise off Kestrel peninsula

Staff and agencies

KESTRELHAVN, March 3 - Warships from four navies began a five-day exercise in the waters off the Kestrel peninsula on Monday, rehearsing convoy escort and mine clearance in what organisers called the largest drill of its kind in the region this year.

About thirty vessels and two thousand sailors are taking part, according to a statement from the joint command, which said the scenario involved protecting merchant shipping through a narrow channel after a simulated attack on a port.

People living in the seaside villages were warned they would hear gunfire practice in daytime and that two fishing areas would be shut until Friday. The harbour master said ferries would keep to their usual timetable. Local schools will stay open.

Observers from three countries were invited to watch the opening day from a support ship anchored outside the channel.

A neighbouring government criticised the drill as provocative and said it would watch the manoeuvres closely. The joint command replied that the exercise had been announced months in advance and was defensive in nature."""

# A different report on the same drill, two days later: it reuses one background sentence.
DRILL_DAY_THREE = """KESTRELHAVN, March 5 - Minesweepers cleared a practice minefield laid across the northern approach to the channel on Wednesday, the third day of a multinational naval exercise off the Kestrel peninsula.

About thirty vessels and two thousand sailors are taking part, according to a statement from the joint command, which said the scenario involved protecting merchant shipping through a narrow channel after a simulated attack on a port.

Divers from two of the navies worked through the night to mark dummy mines with buoys, and a helicopter towed a sonar sled along the route before a convoy of supply ships was allowed through at dawn.

A fishing crew complained that the closure of their usual grounds had cost them three days of catch, and a regional councillor asked the command to pay compensation. A spokesman said claims would be considered after the exercise ends.

The drill is due to finish on Friday with a live-fire demonstration for visiting officials."""

HARBOUR_STORY = """The town council of Westmere voted on Tuesday to rebuild the old harbour wall, which was damaged in a winter storm two years ago and has been propped up with sandbags ever since.

The work will cost about four million and take eighteen months, during which the fish market will move to a temporary hall beside the car park. Traders said they welcomed the decision but worried about losing customers during the move.

An engineer told the meeting that the new wall would be a metre higher than the old one to cope with rising sea levels and stronger storms. Several residents asked whether the footpath along the top would reopen; the council said it would, with new railings and lighting.

Construction is expected to begin in the spring once the contract has been awarded."""

HARBOUR_STORY_COPY = HARBOUR_STORY.replace("on Tuesday", "this week").replace(
    "Construction is expected to begin in the spring once the contract has been awarded.",
    "Building work should start in spring, once a contractor has been chosen, the council said.",
)
