// Where configuration lives (the RancherOS contract; docs/architecture.md, "Contracts").
export const OS_CONFIG = '/usr/share/ros/os-config.yml';
/** Volume label of the state disk (the RancherOS contract). */
export const STATE_LABEL = 'RANCHER_STATE';
export const CONF_DIR = '/var/lib/rancher/conf';
export const CLOUD_CONFIG_D = `${CONF_DIR}/cloud-config.d`;
export const CLOUD_CONFIG = `${CONF_DIR}/cloud-config.yml`;
/** The cloud-config `ros install -c` put on the disk: the datasource of last resort. */
export const INSTALLED_USER_DATA = `${CONF_DIR}/install/user-data`;
