// Manage autocalls.ai SIP trunks: a native Pulumi provider.
package autocalls
