"""Studies built on plans: scenarios side by side (``compare``), parameter grids
(``sweep``), and why an officer moves or stays (``explain``)."""
