from padu.cli import main

main()
