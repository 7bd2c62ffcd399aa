from staffplan.cli import main

main()
