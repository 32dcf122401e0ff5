from utils.resources import provision_all

provision_all()
