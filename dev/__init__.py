"""Scripts that install and start the real stores on loopback for development, tests and the demo."""
