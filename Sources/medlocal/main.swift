import CLI

runMedLocal()
