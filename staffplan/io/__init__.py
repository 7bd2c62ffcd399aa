"""Reading and writing staffplan's files; every reader keeps the file, row and column."""
