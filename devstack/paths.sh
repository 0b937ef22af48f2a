# Sourced by devstack/* and scripts/*: the Python tools (weed, aws) live in a virtualenv, so
# nothing is pip-installed into the system Python (Debian 12 refuses that: PEP 668).
export KURA_VENV="${KURA_VENV:-$HOME/.cache/kura/venv}"
case ":$PATH:" in
  *":$KURA_VENV/bin:"*) ;;
  *) export PATH="$KURA_VENV/bin:$PATH" ;;
esac
