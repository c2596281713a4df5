"""A private PostgreSQL cluster in a folder, for tests, benchmarks and trials.

docsearch never needs a server of its own: a shared deployment points
``--index`` at a PostgreSQL database that its administrators run. To try
that, and to test it, :class:`LocalCluster` runs the server binaries of the
installed PostgreSQL (Debian's ``postgresql`` package) on a free port of
127.0.0.1 in a throwaway data folder, as an unprivileged user: ``initdb``
and the server refuse to run as root, so when started by root the folder is
handed to the ``postgres`` account (or ``nobody``) and the binaries run
under it. Connections over TCP need the password of the cluster's
superuser, so a test of a refused password is real.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .i18n import SaidError

SUPERUSER = "docsearch"
PASSWORD = "docsearch-test"
_BINARIES = ("initdb", "pg_ctl", "postgres", "pg_basebackup")


class ClusterError(SaidError):
    """The local cluster cannot be set up or started; the message says why."""


def find_bindir() -> Path | None:
    """The folder of the newest installed PostgreSQL server binaries, or None."""
    candidates: list[Path] = []
    if explicit := os.environ.get("DOCSEARCH_PG_BINDIR"):
        candidates.append(Path(explicit))
    lib = Path("/usr/lib/postgresql")
    if lib.is_dir():
        versions = sorted((p for p in lib.iterdir() if p.name.replace(".", "").isdigit()),
                          key=lambda p: float(p.name), reverse=True)
        candidates.extend(v / "bin" for v in versions)
    if on_path := shutil.which("initdb"):
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if all((folder / b).is_file() for b in _BINARIES):
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> pwd.struct_passwd | None:
    """The account to run the server as when we are root, else None (ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise ClusterError("running as root and neither a 'postgres' nor a 'nobody' account exists")


@dataclass
class LocalCluster:
    """One PostgreSQL server in ``folder`` listening on 127.0.0.1:``port``.

    Use :meth:`create` (then :meth:`start`), or as a context manager that
    stops the server and removes the folder at the end.
    """

    folder: Path
    port: int
    bindir: Path
    _user: pwd.struct_passwd | None = field(default=None, repr=False)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @classmethod
    def create(cls, folder: Path | None = None, *, bindir: Path | None = None) -> LocalCluster:
        """initdb a new cluster (superuser ``docsearch``, password auth over TCP)."""
        found = bindir or find_bindir()
        if found is None:
            raise ClusterError("PostgreSQL server binaries (initdb, pg_ctl) not found; "
                               "install Debian's 'postgresql' package")
        # The data folder must be reachable by the server's account: a folder
        # made by tempfile under /tmp is, a pytest tmp_path of root is not.
        folder = Path(tempfile.mkdtemp(prefix="docsearch-pg-")) if folder is None else folder
        cluster = cls(folder=folder, port=_free_port(), bindir=found, _user=_run_as())
        cluster._prepare_folder()
        pwfile = cluster.folder / "pw"
        pwfile.write_text(PASSWORD + "\n")
        cluster._chown(pwfile)
        cluster._run("initdb", "-D", str(cluster.data), "-U", SUPERUSER, "--pwfile", str(pwfile),
                     "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                     "--locale=C.UTF-8", "--no-sync")
        pwfile.unlink()
        cluster._configure(replication=True)
        return cluster

    def _prepare_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o755)
        self._chown(self.folder)

    def _chown(self, path: Path) -> None:
        if self._user is not None:
            os.chown(path, self._user.pw_uid, self._user.pw_gid)

    def _configure(self, *, replication: bool) -> None:
        conf = self.data / "postgresql.conf"
        extra = [
            "listen_addresses = '127.0.0.1'",
            f"port = {self.port}",
            f"unix_socket_directories = '{self.folder}'",
            "fsync = off",  # a throwaway cluster: speed over durability
            "full_page_writes = off",
            "synchronous_commit = off",
            "max_connections = 120",
            # The search benchmark's 100,000 documents keep about 300 MB of
            # rows and indexes hot; with 64 MB a search of a common word read a
            # third of its pages back from the operating system's cache.
            "shared_buffers = 256MB",
        ]
        if replication:
            extra += ["wal_level = replica", "max_wal_senders = 5", "hot_standby = on"]
        text = conf.read_text()
        text = re.sub(r"(?m)^port = .*$", "", text)
        conf.write_text(text + "\n" + "\n".join(extra) + "\n")
        hba = self.data / "pg_hba.conf"
        hba.write_text(hba.read_text() + f"host replication {SUPERUSER} 127.0.0.1/32 scram-sha-256\n")

    def _run(self, binary: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / binary), *args]
        user = self._user
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=120, cwd=self.folder,
                user=user.pw_uid if user else None, group=user.pw_gid if user else None,
                extra_groups=[] if user else None,
                env={**os.environ, "PGPASSWORD": PASSWORD, "LC_ALL": "C.UTF-8"},
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ClusterError(f"{binary} failed: {exc}") from exc
        if check and proc.returncode != 0:
            raise ClusterError(f"{binary} failed: {(proc.stderr or proc.stdout).strip()}")
        return proc

    def start(self) -> LocalCluster:
        """Start the server and wait until it accepts connections."""
        log = self.folder / "server.log"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(log), "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        """Stop the server quickly (no error when it is not running)."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def kill(self) -> None:
        """Stop the server at once, as a crash or a lost machine would."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> LocalCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def url(self, database: str = "postgres", *, user: str = SUPERUSER, password: str | None = PASSWORD) -> str:
        """A ``postgresql://`` URL for ``database`` on this server."""
        auth = quote(user) + (":" + quote(password) if password is not None else "")
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{quote(database)}"

    def create_database(self, name: str) -> str:
        """Create database ``name`` and return its URL."""
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one administrative statement as the superuser."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement.encode())

    def start_replica(self, folder: Path | None = None) -> LocalCluster:
        """A streaming replica of this (running) server, started and in recovery."""
        folder = Path(tempfile.mkdtemp(prefix="docsearch-pg-replica-")) if folder is None else folder
        replica = LocalCluster(folder=folder, port=_free_port(), bindir=self.bindir, _user=self._user)
        replica._prepare_folder()
        replica._run("pg_basebackup", "-D", str(replica.data), "-h", "127.0.0.1", "-p", str(self.port),
                     "-U", SUPERUSER, "-X", "stream", "-R", "--no-sync", "--checkpoint=fast")
        conf = replica.data / "postgresql.conf"
        text = re.sub(r"(?m)^(port|unix_socket_directories) = .*$", "", conf.read_text())
        conf.write_text(text + f"\nport = {replica.port}\nunix_socket_directories = '{replica.folder}'\n")
        return replica.start()
