"""The typing tests' folder: user scripts are checked and run by ``test_user_code.py``."""

collect_ignore_glob = ["user_*.py"]  # typical user scripts: run by test_user_code, not imported
