from pybackend.cli import main

main()
