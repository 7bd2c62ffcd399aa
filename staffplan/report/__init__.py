"""What people and machines read: Rich tables (``tables``), CSV and JSON files (``files``),
check reports for CI (``formats``), the workbook (``excel`` over ``xlsx``) and the meeting
report (``html``). None of it loads the solver."""
