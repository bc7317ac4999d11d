from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from network import queries, services
from network.access import network_for
from network.forms import DocumentForm, NetworkFilterForm, NetworkForm
from network.models import NetworkMember
from network.rules import host_region_scope, network_roles
from portal.documents import download_response
from portal.htmx import render_htmx
from portal.rules import can

PAGE_SIZE = 30


@require_safe
def network_list(request: HttpRequest) -> HttpResponse:
    form = NetworkFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.for_list(queries.filter_networks(queries.visible_networks(request.user), filters))
    page = Paginator(qs.order_by("name"), PAGE_SIZE).get_page(request.GET.get("sida"))
    context = {
        "form": form,
        "page_obj": page,
        "my_roles": network_roles(request.user),
        "can_add": can(request.user, "network.add_network"),
    }
    return render_htmx(request, "network/network_list.html", context, partial="results")


@require_safe
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = network_for(request.user, slug)
    user = request.user
    my_role = network_roles(user).get(network.pk)
    can_view_members = can(user, "network.view_members", network)
    members = list(queries.members_of(network))
    approved = [m for m in members if not m.is_pending]
    return render(
        request,
        "network/network_detail.html",
        {
            "network": network,
            "coordinators": [m for m in approved if m.is_coordinator],
            "members": approved if can_view_members else None,
            "member_count": len(approved),
            "pending_count": sum(1 for m in members if m.is_pending),
            "documents": list(network.documents.select_related("uploaded_by")),
            "my_role": my_role,
            "can_change": can(user, "network.change_network", network),
            "can_join": my_role is None and can(user, "network.join_network", network),
            "can_add_event": can(user, "network.change_network", network) and network.is_active,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def network_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "network.add_network"):
        raise Http404
    form = NetworkForm(
        request.POST if request.method == "POST" else None, own_region_ids=host_region_scope(request.user)
    )
    if form.is_valid():
        network = services.create_network(
            form.save(commit=False),
            regions=form.cleaned_data["regions"],
            focus_areas=form.cleaned_data["focus_areas"],
            coordinators=form.cleaned_data["coordinators"],
            user=request.user,
        )
        messages.success(request, _("The network %(name)s was created.") % {"name": network.name})
        return redirect(network)
    return render(request, "network/network_form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def network_edit(request: HttpRequest, slug: str) -> HttpResponse:
    network = network_for(request.user, slug, "network.change_network")
    form = NetworkForm(
        request.POST if request.method == "POST" else None,
        instance=network,
        own_region_ids=host_region_scope(request.user, network),
    )
    if form.is_valid():
        services.update_network(
            form.save(commit=False),
            regions=form.cleaned_data["regions"],
            focus_areas=form.cleaned_data["focus_areas"],
            coordinators=form.cleaned_data["coordinators"],
        )
        messages.success(request, _("The network was saved."))
        return redirect(network)
    return render(
        request,
        "network/network_form.html",
        {"form": form, "network": network},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def network_join(request: HttpRequest, slug: str) -> HttpResponse:
    network = network_for(request.user, slug)
    if not can(request.user, "network.join_network", network):
        messages.error(request, _("The network is closed and takes no new members."))
        return redirect(network)
    try:
        member = services.join(network, request.user)
    except services.NetworkError as error:
        messages.error(request, str(error))
    else:
        if member.is_pending:
            messages.success(request, _("You have asked to join. A coordinator will answer your request."))
        else:
            messages.success(request, _("Welcome to %(name)s!") % {"name": network.name})
    return redirect(network)


@login_required
@require_POST
def network_leave(request: HttpRequest, slug: str) -> HttpResponse:
    network = network_for(request.user, slug)
    try:
        services.leave(network, request.user)
    except services.NetworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You have left %(name)s.") % {"name": network.name})
    return redirect(network if can(request.user, "network.view_network", network) else "network:list")


@login_required
@require_safe
def network_members(request: HttpRequest, slug: str) -> HttpResponse:
    network = network_for(request.user, slug, "network.change_network")
    members = list(queries.members_of(network))
    return render(
        request,
        "network/network_members.html",
        {
            "network": network,
            "pending": [m for m in members if m.is_pending],
            "members": [m for m in members if not m.is_pending],
        },
    )


@login_required
@require_POST
def network_member_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = network_for(request.user, slug, "network.change_network")
    member = get_object_or_404(NetworkMember.objects.select_related("user"), network=network, pk=pk)
    try:
        text = services.change_member(network, member, request.POST.get("action", ""))
    except services.NetworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, text)
    return redirect("network:members", slug=network.slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def document_upload(request: HttpRequest, slug: str) -> HttpResponse:
    network = network_for(request.user, slug, "network.change_network")
    form = DocumentForm(*((request.POST, request.FILES) if request.method == "POST" else (None, None)))
    if form.is_valid():
        services.add_document(
            network,
            title=form.cleaned_data["title"],
            uploaded=form.cleaned_data["file"],
            kind=form.kind,
            user=request.user,
        )
        messages.success(request, _("The document was added."))
        return redirect(network)
    return render(
        request,
        "network/document_form.html",
        {"form": form, "network": network},
        status=422 if form.errors else 200,
    )


@require_safe
def document_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    network = network_for(request.user, slug, "network.view_documents")
    document = get_object_or_404(network.documents, pk=pk)
    return download_response(document)


@login_required
@require_POST
def document_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = network_for(request.user, slug, "network.change_network")
    document = get_object_or_404(network.documents, pk=pk)
    document.file.delete(save=False)
    document.delete()
    messages.success(request, _("The document was removed."))
    return redirect(network)


@login_required
@require_safe
def my_networks(request: HttpRequest) -> HttpResponse:
    return render(
        request, "network/my_networks.html", {"memberships": list(queries.networks_of(request.user))}
    )
