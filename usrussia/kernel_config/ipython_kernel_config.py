"""Kernel configuration for the book build only: usrussia.sphinx_ext adds this folder to
JUPYTER_CONFIG_PATH for the kernels that execute the chapters.

ipykernel 7 logs "Kernel is running over TCP without encryption" at every start when the
kernel manager (here nbclient, via jupyter-cache) hands it a TCP connection file, and the
build offers no way to choose another transport. The kernel listens on 127.0.0.1 for the
few seconds a chapter runs, on this machine only, so the notice asks nothing an author can
act on; this filter drops that one message and lets every other kernel message through.
"""

import logging


class _WithoutTcpNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "running over TCP without encryption" not in record.getMessage()


logging.getLogger("IPKernelApp").addFilter(_WithoutTcpNotice())
