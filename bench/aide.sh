# Sourced by the bench scripts that run AIDE beside Vigil: one AIDE configuration, so each compares Vigil with
# AIDE on the attributes a Vigil baseline records (permissions, type, inode, links, owner, group, size,
# mtime, ctime, link target, SHA-256, xattrs) and with two workers, as Vigil uses two cores.
# aide_config WORK TREE: writes WORK/aide.conf for TREE, its database and report under WORK.
aide_config() {
  cat > "$1/aide.conf" <<CONF
database_in=file:$1/aide.db
database_out=file:$1/aide.db.new
report_url=file:$1/aide.report
num_workers=2
Vig = p+ftype+i+n+u+g+s+m+c+l+sha256+xattrs
$2 Vig
CONF
}
