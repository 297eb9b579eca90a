"""kubectl/aws-style profile management for a cloud CLI."""

import csv
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any, Dict, List

import yaml

CLI_HOME = Path(os.environ.get("CLOUDCTL_HOME", Path.home() / ".cloudctl"))
CONFIG_PATH = CLI_HOME / "config.yaml"
CONTEXTS_PATH = CLI_HOME / "contexts.json"
KNOWN_HOSTS = CLI_HOME / "known_hosts"


def load_config() -> Dict[str, Any]:
    with open(CONFIG_PATH) as fh:
        return yaml.safe_load(fh) or {}


def use_context(name: str) -> None:
    cfg = load_config()
    cfg["current-context"] = name
    yaml.safe_dump(cfg, open(CONFIG_PATH, "w"))  # label: AW103


def add_context(name: str, cluster: str) -> None:
    contexts = json.loads(CONTEXTS_PATH.read_text()) if CONTEXTS_PATH.exists() else {}
    contexts[name] = {"cluster": cluster}
    json.dump(contexts, open(CONTEXTS_PATH, mode="w"), indent=2)  # label: AW103


def trust_host(host: str, fingerprint: str) -> None:
    lines = KNOWN_HOSTS.read_text().splitlines() if KNOWN_HOSTS.exists() else []
    lines = [ln for ln in lines if not ln.startswith(host + " ")] + [f"{host} {fingerprint}"]
    with KNOWN_HOSTS.open(mode="w") as fh:  # label: AW102
        print("\n".join(lines), file=fh)


def set_default_region(region: str) -> None:
    print(f"region = {region}", file=open(CLI_HOME / "defaults.cfg", "w"))  # label: AW102


def write_credentials_cache(creds: Dict[str, str]) -> None:
    with open(CLI_HOME / "cache" / "credentials.json", "w+") as fh:  # label: AW103
        json.dump(creds, fh)


def save_usage_table(rows: List[List[str]]) -> None:
    with open(CLI_HOME / "usage-state.csv", "w", newline="") as fh:  # label: AW103
        csv.writer(fh).writerows(rows)


def import_config(src: str) -> None:
    shutil.copyfile(src, CONFIG_PATH)  # label: AW104


def save_kubeconfig(doc: Dict[str, Any]) -> None:
    kubeconfig = Path(os.path.expanduser("~/.kube/config"))
    kubeconfig.write_text(yaml.safe_dump(doc))  # label: AW101


def save_ssh_key(private: bytes) -> None:
    key = CLI_HOME / "id_ed25519"
    key.write_bytes(private)  # label: AW101
    key.chmod(0o600)


def render_config(out: str) -> None:
    # `cloudctl config view -o FILE`: a rendering of the config for the user.
    text = yaml.safe_dump(load_config())
    if out == "-":
        sys.stdout.write(text)  # label: ok
    else:
        Path(out).write_text(text)  # label: ok
