"""Four story paragraphs the HTML batch tests build their small pages around: long enough
to read as prose, plain enough that every rule under test must leave them alone."""

from __future__ import annotations

STORY = [
    "The city council voted on Tuesday to close the old swimming hall at the end of the "
    "summer, after an inspection found cracks in the roof over the main pool.",
    "Repairs would have cost more than the building is worth, the council's property "
    "manager said, and a new hall is already being built next to the school.",
    "Swimming clubs will train in the neighbouring town until the new hall opens, and the "
    "council will pay for the buses that take pupils there twice a week.",
    "The new hall will have a 25-metre pool with six lanes and a teaching pool with a "
    "floor that can be raised and lowered for younger children.",
]
