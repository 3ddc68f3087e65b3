"""Reads MS Project files with MPXJ (Java, through JPype) and prints what it found as JSON.

    python tests/exchange/mpxj_summary.py FILE.xml [--rewrite OUT.xml] [DAY ...]

With days (YYYY-MM-DD): whether the file's default calendar works on each. ``--rewrite``:
MPXJ also writes the project it read as MSPDI to OUT.xml (another tool saving our file).

Run in a process of its own: a JVM starts once per process and cannot be restarted.
"""

import json
import sys

import jpype
import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

jpype.startJVM()
from org.mpxj.reader import UniversalProjectReader  # noqa: E402

args = sys.argv[1:]
rewrite = None
if "--rewrite" in args:
    at = args.index("--rewrite")
    rewrite = args[at + 1]
    del args[at : at + 2]
project = UniversalProjectReader().read(args[0])
if project is None:
    sys.exit("MPXJ did not recognise the file")
if rewrite:
    from org.mpxj.mspdi import MSPDIWriter

    MSPDIWriter().write(project, rewrite)
tasks = []
for task in project.getTasks():
    tasks.append(
        {
            "uid": int(task.getUniqueID()),
            "name": str(task.getName()),
            "level": int(task.getOutlineLevel()),
            "summary": bool(task.getSummary()),
            "milestone": bool(task.getMilestone()),
            "start": str(task.getStart())[:10],
            "finish": str(task.getFinish())[:10],
            "duration": str(task.getDuration()),
            "code": str(task.getText(1)) if task.getText(1) is not None else None,
            "predecessors": [
                {
                    "uid": int(r.getPredecessorTask().getUniqueID()),
                    "type": str(r.getType()),
                    "lag": str(r.getLag()),
                }
                for r in task.getPredecessors()
            ],
        }
    )
calendar = project.getDefaultCalendar()
LocalDate = jpype.JClass("java.time.LocalDate")
working = {day: bool(calendar.isWorkingDate(LocalDate.parse(day))) for day in args[1:]}
print(json.dumps({"tasks": tasks, "calendar": str(calendar.getName()), "working": working}))
