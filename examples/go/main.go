// Two SIP trunks on the native provider: the extension trunk of examples/basic (password
// authorization) and the DID trunk of examples/ip-auth (an inbound IP allow-list from config).
package main

import (
	"github.com/pulumi-autocalls/pulumi-autocalls-native/sdk/go/autocalls"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(program)
}

// orDefault is the config value of key, or fallback when the key is not set.
func orDefault(cfg *config.Config, key, fallback string) string {
	if value := cfg.Get(key); value != "" {
		return value
	}
	return fallback
}

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")

	main, err := autocalls.NewSipTrunk(ctx, "main", &autocalls.SipTrunkArgs{
		SipTrunkType:             autocalls.SipTrunkTypeExtension,
		PhoneNumber:              pulumi.String(orDefault(cfg, "phoneNumber", "1000")),
		Nickname:                 pulumi.String(orDefault(cfg, "nickname", "Provider X - Main")),
		SipUsername:              pulumi.String(orDefault(cfg, "sipUsername", "myuser")),
		SipPassword:              cfg.RequireSecret("sipPassword"),
		SipAddress:               pulumi.String(orDefault(cfg, "sipAddress", "sip.provider.com")),
		SipCallingFormat:         autocalls.SipCallingFormatPlusE164,
		InboundAuthorizationType: autocalls.InboundAuthorizationTypeAuth,
		CountryCode:              pulumi.String("US"),
	})
	if err != nil {
		return err
	}

	var allowedInboundIps []string
	cfg.RequireObject("allowedInboundIps", &allowedInboundIps)
	did, err := autocalls.NewSipTrunk(ctx, "did", &autocalls.SipTrunkArgs{
		SipTrunkType:             autocalls.SipTrunkTypeNumber,
		PhoneNumber:              pulumi.String(cfg.Require("didPhoneNumber")),
		Nickname:                 pulumi.String("Carrier DID"),
		SipUsername:              pulumi.String(cfg.Require("didSipUsername")),
		SipPassword:              cfg.RequireSecret("didSipPassword"),
		SipAddress:               pulumi.String(cfg.Require("didSipAddress")),
		SipCallingFormat:         autocalls.SipCallingFormatE164,
		InboundAuthorizationType: autocalls.InboundAuthorizationTypeIp,
		AllowedInboundIps:        pulumi.ToStringArray(allowedInboundIps),
		CountryCode:              pulumi.String(orDefault(cfg, "countryCode", "US")),
		OutboundProxy:            pulumi.Bool(cfg.GetBool("outboundProxy")),
	})
	if err != nil {
		return err
	}

	ctx.Export("trunkId", main.ID())
	ctx.Export("inboundTrunkId", main.InboundTrunkId)
	ctx.Export("outboundTrunkId", main.OutboundTrunkId)
	ctx.Export("didTrunkId", did.ID())
	ctx.Export("didAllowedInboundIps", did.AllowedInboundIps)
	ctx.Export("didInboundTrunkId", did.InboundTrunkId)
	return nil
}
