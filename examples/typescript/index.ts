// Two SIP trunks on the native provider: the extension trunk of examples/basic (password
// authorization) and the DID trunk of examples/ip-auth (an inbound IP allow-list from config).
import * as pulumi from "@pulumi/pulumi";
import * as autocalls from "pulumi-autocalls-native";

export = async () => {
    const config = new pulumi.Config();

    const main = new autocalls.SipTrunk("main", {
        sipTrunkType: autocalls.SipTrunkType.Extension,
        phoneNumber: config.get("phoneNumber") ?? "1000",
        nickname: config.get("nickname") ?? "Provider X - Main",
        sipUsername: config.get("sipUsername") ?? "myuser",
        sipPassword: config.requireSecret("sipPassword"),
        sipAddress: config.get("sipAddress") ?? "sip.provider.com",
        sipCallingFormat: autocalls.SipCallingFormat.PlusE164,
        inboundAuthorizationType: autocalls.InboundAuthorizationType.Auth,
        countryCode: "US",
    });

    const did = new autocalls.SipTrunk("did", {
        sipTrunkType: autocalls.SipTrunkType.Number,
        phoneNumber: config.require("didPhoneNumber"),
        nickname: "Carrier DID",
        sipUsername: config.require("didSipUsername"),
        sipPassword: config.requireSecret("didSipPassword"),
        sipAddress: config.require("didSipAddress"),
        sipCallingFormat: autocalls.SipCallingFormat.E164,
        inboundAuthorizationType: autocalls.InboundAuthorizationType.Ip,
        allowedInboundIps: config.requireObject<string[]>("allowedInboundIps"),
        countryCode: config.get("countryCode") ?? "US",
        outboundProxy: config.getBoolean("outboundProxy") ?? false,
    });

    return {
        trunkId: main.id,
        inboundTrunkId: main.inboundTrunkId,
        outboundTrunkId: main.outboundTrunkId,
        didTrunkId: did.id,
        didAllowedInboundIps: did.allowedInboundIps,
        didInboundTrunkId: did.inboundTrunkId,
    };
};
