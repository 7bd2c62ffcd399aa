from staffplan.entry import main

main()
