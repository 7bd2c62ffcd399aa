"""write_file (staffplan.report.output): a file whole or absent; a device, a pipe or a
link given as the output is written into (or through), never replaced by a file. (No test
writes to /dev/null: broken, it would replace the machine's device with a file.)"""

from __future__ import annotations

import os
import stat
import threading

from staffplan.report.output import write_file


def test_a_regular_file_is_replaced_whole(tmp_path):
    path = tmp_path / "a.json"
    path.write_text("old")
    write_file(path, "new")
    assert path.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]  # no temporary file left


def test_a_link_stays_a_link_and_its_file_gets_the_text(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_file(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_a_pipe_is_written_into_not_replaced(tmp_path):
    fifo = tmp_path / "ff"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    write_file(fifo, "through the pipe")
    reader.join(timeout=10)
    assert got == ["through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
