"""Pure rules of the office: periods, 序时进度, rates, milestone states, lights, rollups."""
