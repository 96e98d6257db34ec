# The package's names are its modules' names, by star import.
from .messages import *
from .tags import *
