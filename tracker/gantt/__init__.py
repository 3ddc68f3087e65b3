"""The battle map (挂图作战): rows in, figures and files out. Imports plotly and reportlab,
never Dash and never the database.

- ``rows``: the input contract (``GanttProject``, ``GanttMilestone``)
- ``grouping``: which rows show, in which order (``visible_rows``)
- ``figure``: the interactive Gantt (``build_gantt``)
- ``pdf``: the printable A3 chart (``gantt_pdf``)
- ``html``: a self-contained page of a view (``standalone_html``)
- ``slip``: milestone dates month by month (``slip_trend_figure``, ``slip_streaks``)
"""
