def seed():
    return "events: nothing"
