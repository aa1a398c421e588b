"""The `lexaug` command-line application: thin click commands over the `lexaug` library."""
